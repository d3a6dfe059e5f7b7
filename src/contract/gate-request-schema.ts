import { z } from "zod";
import { ChangeTypeSchema } from "./change-type-schema.js";
import { InstantSchema } from "./instant-schema.js";
import { MAX_NAME, MAX_VALUE } from "./wire-limits.js";

const Name = z.string().min(1).max(MAX_NAME);

/** A promotion the gate is asked about (POST /api/v1/gate). */
export const GateRequestSchema = z.object({
  model: Name.meta({ description: "the model to promote" }),
  environment: Name.meta({ description: "where to promote it" }),
  version: Name.optional().meta({ description: "the version (approvals may name one)" }),
  change: ChangeTypeSchema.default("normal").meta({
    description: "kind of change: kinds a policy lists in `exempt` pass a freeze",
  }),
  labels: z
    .record(z.string().min(1).max(MAX_NAME), z.string().max(MAX_VALUE))
    .optional()
    .meta({ description: "the promotion's labels; default: those of the model's latest attempt" }),
  at: InstantSchema.optional().meta({ description: "decide as of this instant; default now" }),
});

export type GateRequestInput = z.input<typeof GateRequestSchema>;
