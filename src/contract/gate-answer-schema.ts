import { z } from "zod";
import { GateDecisionSchema } from "./gate-decision-schema.js";
import { GateEstimateSchema } from "./gate-estimate-schema.js";
import { SloGateVerdictSchema } from "./slo-gate-verdict-schema.js";

/** What the gate answers: the decision, as of which instant, and its audit entry. */
export const GateAnswerSchema = z.object({
  decision: GateDecisionSchema,
  at: z.string().meta({ description: "the instant the SLOs were evaluated as of" }),
  reasons: z.array(z.string()),
  slos: z.array(SloGateVerdictSchema),
  estimate: GateEstimateSchema.nullable(),
  auditSeq: z.number().int().meta({ description: "the decision's entry in the audit log" }),
});

export type GateAnswer = z.output<typeof GateAnswerSchema>;
