import { z } from "zod";
import { AuditKindSchema } from "./audit-kind-schema.js";
import { GateDecisionSchema } from "./gate-decision-schema.js";

/** One entry of the append-only audit log. */
export const AuditEntrySchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  kind: AuditKindSchema,
  actor: z.string(),
  model: z.string(),
  environment: z.string(),
  version: z.string().nullable(),
  decision: GateDecisionSchema.nullable(),
  slos: z.array(z.string()).readonly().meta({
    description: "the SLOs it concerns: those a decision weighed, those an approval counts for",
  }),
  detail: z.record(z.string(), z.unknown()),
});

export type AuditEntryJson = z.output<typeof AuditEntrySchema>;
