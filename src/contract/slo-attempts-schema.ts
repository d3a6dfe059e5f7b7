import { z } from "zod";
import { AttemptSummarySchema } from "./attempt-summary-schema.js";

/** GET /api/v1/slos/{name}/attempts: the newest attempts an SLO selects. */
export const SloAttemptsSchema = z.object({
  attempts: z.array(AttemptSummarySchema),
  scanned: z.number().int(),
});

export type SloAttempts = z.output<typeof SloAttemptsSchema>;
