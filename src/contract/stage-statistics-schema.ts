import { z } from "zod";

const seconds = z.number().nullable().meta({ description: "seconds" });

const StageStatisticSchema = z.object({
  stage: z.string(),
  kind: z.enum(["active", "wait"]),
  runs: z.number().int(),
  runsAfterEndPoint: z.number().int().meta({
    description:
      "runs that started at or after their attempt's servingAt (or end): shown, not blamed",
  }),
  runsPastEndPoint: z.number().int().meta({
    description: "runs that started before servingAt (or the end) and ended after it",
  }),
  p50: seconds,
  p95: seconds,
  p99: seconds,
  slowMeanSeconds: seconds,
  typicalMeanSeconds: seconds,
  extraSeconds: seconds,
  share: z.number().nullable().meta({
    description: "extraSeconds over deploymentExtraSeconds; negative: quicker when slow",
  }),
  onCriticalPath: z.number().int().meta({
    description: "served attempts in which the stage was on the critical path before servingAt",
  }),
  criticalPathShare: z.number().nullable().meta({ description: "onCriticalPath over served" }),
});

const BetweenStagesSchema = z
  .object({
    slowMeanSeconds: seconds,
    typicalMeanSeconds: seconds,
    extraSeconds: seconds,
    share: z.number().nullable(),
  })
  .meta({
    description:
      "time before servingAt on no stage of the critical path; with the stages, adds up to deploymentExtraSeconds",
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
    betweenStages: BetweenStagesSchema,
  })
  .meta({ id: "StageStatistics" });

export type StageStatisticsJson = z.output<typeof StageStatisticsSchema>;
export type StageStatisticJson = z.output<typeof StageStatisticSchema>;
export type TailPart = z.output<typeof BetweenStagesSchema>;
