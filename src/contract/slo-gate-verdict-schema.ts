import { z } from "zod";
import { ChangeTypeSchema } from "./change-type-schema.js";
import { GateDecisionSchema } from "./gate-decision-schema.js";

/** One SLO's part in a gate decision, with the numbers it rests on. */
export const SloGateVerdictSchema = z.object({
  name: z.string(),
  decision: GateDecisionSchema,
  remainingRatio: z.number(),
  reason: z.string(),
  unblock: z.string().nullable(),
  exemptedBy: ChangeTypeSchema.nullable(),
  approvalId: z.string().nullable(),
  inputs: z.object({
    eligible: z.number().int(),
    bad: z.number().int(),
    remainingRatio: z.number(),
    windowStart: z.string(),
    windowEnd: z.string(),
  }),
});

export type SloGateVerdict = z.output<typeof SloGateVerdictSchema>;
