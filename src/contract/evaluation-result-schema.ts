import { z } from "zod";
import { SloStatusSchema } from "./slo-status-schema.js";

/** Every SLO's status as of `at`: GET /api/v1/slos and `deployslo evaluate --format json`. */
export const EvaluationResultSchema = z
  .object({ at: z.string(), slos: z.array(SloStatusSchema).readonly() })
  .meta({ id: "EvaluationResult" });

export type EvaluationResult = z.output<typeof EvaluationResultSchema>;
