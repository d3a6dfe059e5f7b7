import { z } from "zod";

/** One attempt in an SLO's attempt table. */
export const AttemptSummarySchema = z.object({
  id: z.string(),
  model: z.string(),
  version: z.string(),
  environment: z.string(),
  outcome: z.string(),
  startedAt: z.string(),
  durationSeconds: z.number().nullable().meta({ description: "seconds" }),
  overThreshold: z.boolean().nullable(),
  slowestStage: z.object({ name: z.string(), seconds: z.number() }).nullable(),
});

export type AttemptSummary = z.output<typeof AttemptSummarySchema>;
