import { z } from "zod";
import { DurationSummarySchema } from "./duration-summary-schema.js";

const seconds = z.number().meta({ description: "seconds" });

const TimeSplitSchema = z.object({
  attempts: z.number().int(),
  waitSeconds: seconds,
  activeSeconds: seconds,
  betweenSeconds: seconds,
  waitShare: z.number().nullable(),
  meanWaitSeconds: z.number().nullable(),
  p95WaitSeconds: z.number().nullable(),
});

/** GET /api/v1/insight/handoffs and `deployslo handoffs --format json`. */
export const CoordinationOverheadSchema = z
  .object({
    selector: z.array(z.string()),
    from: z.string().nullable(),
    to: z.string().nullable(),
    complete: z.boolean(),
    groupBy: z.string(),
    total: TimeSplitSchema,
    groups: z.array(TimeSplitSchema.extend({ value: z.string() })),
    waitStages: z.array(
      z.object({
        stage: z.string(),
        runs: z.number().int(),
        durations: DurationSummarySchema,
        criticalSeconds: seconds,
        criticalShare: z.number().nullable(),
      }),
    ),
    bucketSeconds: z.number(),
    trend: z.array(TimeSplitSchema.extend({ from: z.string(), to: z.string() })),
  })
  .meta({ id: "CoordinationOverhead" });

export type CoordinationOverheadJson = z.output<typeof CoordinationOverheadSchema>;
