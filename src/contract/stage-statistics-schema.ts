import { z } from "zod";

const seconds = z.number().nullable().meta({ description: "seconds" });

const StageStatisticSchema = z.object({
  stage: z.string(),
  kind: z.enum(["active", "wait"]),
  runs: z.number().int(),
  p50: seconds,
  p95: seconds,
  p99: seconds,
  slowMeanSeconds: seconds,
  typicalMeanSeconds: seconds,
  extraSeconds: seconds,
  share: z.number().nullable(),
});

/** GET /api/v1/stages: per-stage duration percentiles and tail attribution. */
export const StageStatisticsSchema = z
  .object({
    attempts: z.number().int(),
    served: z.number().int(),
    slowFrom: seconds,
    typicalUpTo: seconds,
    slowAttempts: z.number().int(),
    typicalAttempts: z.number().int(),
    deploymentExtraSeconds: seconds,
    complete: z.boolean().meta({ description: "false when only the newest `limit` were read" }),
    limit: z.number().int(),
    stages: z.array(StageStatisticSchema).readonly(),
  })
  .meta({ id: "StageStatistics" });

export type StageStatisticsJson = z.output<typeof StageStatisticsSchema>;
export type StageStatisticJson = z.output<typeof StageStatisticSchema>;
