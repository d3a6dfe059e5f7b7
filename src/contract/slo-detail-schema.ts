import { z } from "zod";
import { SloHistoryPointSchema } from "./slo-history-point-schema.js";
import { SloPolicySchema } from "./slo-policy-schema.js";
import { SloStatusSchema } from "./slo-status-schema.js";

/** GET /api/v1/slos/{name}: one SLO's status and its history. */
export const SloDetailSchema = z.object({
  slo: SloStatusSchema,
  policy: SloPolicySchema.meta({
    description: "what the SLO's error budget policy does to a normal change as of `at`, and why",
  }),
  history: z.array(SloHistoryPointSchema),
});

export type SloDetail = z.output<typeof SloDetailSchema>;
