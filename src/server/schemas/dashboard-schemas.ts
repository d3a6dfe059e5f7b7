import { z } from "zod";
import { SLO_STATES } from "../../core/evaluation/slo-state.js";
import { AttemptRecordSchema } from "./attempt-record-schema.js";
import { SloStatusSchema } from "./slo-status-schema.js";

const seconds = z.number().nullable().meta({ description: "seconds" });

export const OverviewSchema = z
  .object({
    at: z.string(),
    models: z.array(z.string()).readonly().meta({ description: "models seen in stored attempts" }),
    environments: z.array(z.string()).readonly(),
    slos: z
      .array(
        SloStatusSchema.extend({
          state: z.enum(SLO_STATES).meta({ description: "see docs/dashboard.md" }),
          selector: z.object({
            model: z.string().nullable(),
            environment: z.string().nullable(),
            labels: z.record(z.string(), z.string()),
          }),
        }),
      )
      .readonly(),
    inProgress: z
      .array(
        z.object({
          id: z.string(),
          model: z.string(),
          version: z.string(),
          environment: z.string(),
          startedAt: z.string(),
          elapsedSeconds: z.number(),
          thresholdSeconds: seconds,
          slos: z.array(z.string()).readonly(),
          currentStage: z.string().nullable(),
          timeoutAt: z.string().meta({
            description: "when it is recorded as timed_out unless its end is recorded first",
          }),
          stale: z.boolean().meta({
            description: "in progress past its threshold and half its in-progress timeout",
          }),
        }),
      )
      .readonly(),
    inProgressTruncated: z.boolean(),
    sample: z.boolean().meta({
      description: "the newest attempt in scope is generated sample data (attribute sample: true)",
    }),
  })
  .meta({ id: "Overview" });

export const HistogramSchema = z
  .object({
    edges: z.array(z.number()).readonly().meta({ description: "bin edges in seconds (bins + 1)" }),
    counts: z.array(z.number().int()).readonly(),
    overflow: z.number().int().meta({ description: "durations above the last edge" }),
    thresholdSeconds: z.number(),
    total: z.number().int(),
    withoutDuration: z.number().int().meta({ description: "counted attempts that never served" }),
  })
  .meta({ id: "DurationHistogram" });

export const AttemptSummarySchema = z.object({
  id: z.string(),
  model: z.string(),
  version: z.string(),
  environment: z.string(),
  outcome: z.string(),
  startedAt: z.string(),
  durationSeconds: seconds,
  measuredSeconds: z.number().nullable().meta({
    description:
      "the longest value the SLO's indicator measured on the attempt (deployment, stage run or dependency sample), seconds",
  }),
  overThreshold: z.boolean().nullable().meta({ description: "measuredSeconds > the threshold" }),
  slowestStage: z.object({ name: z.string(), seconds: z.number() }).nullable(),
});

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
    stages: z
      .array(
        z.object({
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
        }),
      )
      .readonly(),
    betweenStages: z
      .object({
        slowMeanSeconds: seconds,
        typicalMeanSeconds: seconds,
        extraSeconds: seconds,
        share: z.number().nullable(),
      })
      .meta({
        description:
          "time before servingAt on no stage of the critical path; with the stages, adds up to deploymentExtraSeconds",
      }),
  })
  .meta({ id: "StageStatistics" });

export const AttemptTraceSchema = z
  .object({
    attempt: AttemptRecordSchema,
    criticalPath: z
      .array(z.number().int())
      .readonly()
      .meta({ description: "indexes into attempt.stages" }),
    slos: z.array(z.object({ name: z.string(), thresholdSeconds: z.number() })).readonly(),
  })
  .meta({ id: "AttemptTrace" });
