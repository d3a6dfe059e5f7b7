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
  measuredSeconds: z.number().nullable().meta({
    description:
      "the longest value the SLO's indicator measured on the attempt (deployment, stage run or dependency sample), seconds",
  }),
  overThreshold: z.boolean().nullable().meta({ description: "measuredSeconds > the threshold" }),
  slowestStage: z.object({ name: z.string(), seconds: z.number() }).nullable(),
});

export type AttemptSummary = z.output<typeof AttemptSummarySchema>;
