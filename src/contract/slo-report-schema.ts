import { z } from "zod";
import { DurationSummarySchema } from "./duration-summary-schema.js";
import { OutcomeSchema } from "./outcome-schema.js";
import { SeveritySchema } from "./severity-schema.js";
import { SloStatusSchema } from "./slo-status-schema.js";

const seconds = z.number().nullable().meta({ description: "seconds" });
const instant = z.string().meta({ description: "RFC 3339" });

/** One UTC day of the period: that day's verdicts, and the month so far as of its end. */
export const SloReportDaySchema = z
  .object({
    date: z.string().meta({ description: "YYYY-MM-DD (UTC)" }),
    good: z.number().int(),
    bad: z.number().int(),
    compliance: z.number().nullable().meta({ description: "of the day's verdicts" }),
    p95: seconds.meta({ description: "p95 of the durations that served that day" }),
    complianceToDate: z.number().nullable(),
    budgetRemainingRatio: z
      .number()
      .meta({ description: "the period's error budget left at the day's end (1 = untouched)" }),
  })
  .meta({ id: "SloReportDay" });

/** A stage on a slow attempt's critical path, against the stage's median in the period. */
export const SloReportStageTimeSchema = z
  .object({
    stage: z.string(),
    seconds: z
      .number()
      .meta({ description: "time on the critical path before the first inference" }),
    typicalSeconds: seconds.meta({ description: "the stage's p50 over the period's attempts" }),
  })
  .meta({ id: "SloReportStageTime" });

export const SloReportSlowAttemptSchema = z
  .object({
    id: z.string(),
    model: z.string(),
    version: z.string(),
    environment: z.string(),
    startedAt: instant,
    durationSeconds: z.number(),
    criticalPath: z.array(SloReportStageTimeSchema),
    cause: SloReportStageTimeSchema.nullable().meta({
      description: "the critical-path stage furthest above its median: why the attempt was slow",
    }),
  })
  .meta({ id: "SloReportSlowAttempt" });

export const SloReportIncidentSchema = z
  .object({
    slo: z.string().nullable().meta({
      description: "the SLO whose page opened it; null when the reader may not see that SLO",
    }),
    alert: z.string().nullable(),
    slos: z.array(z.string()).meta({ description: "the SLOs grouped into it (those visible)" }),
    from: instant,
    to: instant.nullable().meta({ description: "null: still open at the period's end" }),
    pages: z.number().int(),
  })
  .meta({ id: "SloReportIncident" });

export const SloReportAlertSchema = z
  .object({
    alert: z.string(),
    severity: SeveritySchema,
    firedAt: instant,
    resolvedAt: instant.nullable().meta({ description: "null: still firing at the period's end" }),
  })
  .meta({ id: "SloReportAlert" });

export const SloReportRecommendationSchema = z
  .object({
    kind: z.enum(["threshold", "target", "stage", "failures"]),
    message: z.string(),
  })
  .meta({ id: "SloReportRecommendation" });

/** Deployment SLOs only: what the attempts started in the period looked like. */
export const SloReportAttemptsSchema = z
  .object({
    started: z.number().int(),
    outcomes: z.record(OutcomeSchema, z.number().int()),
    durations: DurationSummarySchema,
    blamed: z.object({ stage: z.string(), share: z.number() }).nullable().meta({
      description: "the stage with the largest share of the slowest attempts' extra time",
    }),
    slowest: z.array(SloReportSlowAttemptSchema),
    threshold: z
      .object({
        recommendedSeconds: seconds.meta({
          description: "the smallest whole-second threshold that met the target in the period",
        }),
        highestTarget: z
          .number()
          .nullable()
          .meta({ description: "the highest target the SLO's threshold met in the period" }),
      })
      .meta({ description: "occurrences: as `deployslo recommend` over the period" }),
  })
  .meta({ id: "SloReportAttempts" });

export const SloReportEntrySchema = z
  .object({
    name: z.string(),
    period: SloStatusSchema.meta({
      description: "the SLO over the calendar month, as of asOf",
    }),
    atPeriodEnd: SloStatusSchema.meta({
      description: "the SLO over its own window, as of asOf",
    }),
    days: z.array(SloReportDaySchema),
    incidents: z.array(SloReportIncidentSchema),
    alerts: z.array(SloReportAlertSchema),
    attempts: SloReportAttemptsSchema.nullable().meta({
      description: "null for stage and dependency SLOs",
    }),
    recommendations: z.array(SloReportRecommendationSchema),
  })
  .meta({ id: "SloReportEntry" });

/** `deployslo report --format json` and GET /api/v1/reports. */
export const SloReportSchema = z
  .object({
    period: z.string().meta({ description: "YYYY-MM" }),
    from: instant.meta({ description: "the period's first instant (inclusive)" }),
    to: instant.meta({ description: "the period's end (exclusive)" }),
    asOf: instant.meta({
      description:
        "what was known then counts: the period's last millisecond, or now for the month in progress",
    }),
    attempts: z.number().int().meta({ description: "attempts read, the look-back included" }),
    complete: z.boolean(),
    alertStepSeconds: z.number(),
    slos: z.array(SloReportEntrySchema),
  })
  .meta({ id: "SloReport" });

export type SloReportJson = z.output<typeof SloReportSchema>;
export type SloReportEntryJson = z.output<typeof SloReportEntrySchema>;
export type SloReportDayJson = z.output<typeof SloReportDaySchema>;
export type SloReportSlowAttemptJson = z.output<typeof SloReportSlowAttemptSchema>;
export type SloReportIncidentJson = z.output<typeof SloReportIncidentSchema>;
export type SloReportAlertJson = z.output<typeof SloReportAlertSchema>;
export type SloReportRecommendationJson = z.output<typeof SloReportRecommendationSchema>;
export type SloReportAttemptsJson = z.output<typeof SloReportAttemptsSchema>;
