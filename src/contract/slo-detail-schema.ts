import { z } from "zod";
import { SloHistoryPointSchema } from "./slo-history-point-schema.js";
import { SloStatusSchema } from "./slo-status-schema.js";

/** GET /api/v1/slos/{name}: one SLO's status and its history. */
export const SloDetailSchema = z.object({
  slo: SloStatusSchema,
  history: z.array(SloHistoryPointSchema),
});

export type SloDetail = z.output<typeof SloDetailSchema>;
