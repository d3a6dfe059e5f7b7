import { z } from "zod";
import { DurationSummarySchema } from "./duration-summary-schema.js";

const EstimateSchema = z
  .object({ value: z.number().nullable(), low: z.number().nullable(), high: z.number().nullable() })
  .meta({ description: "point value and 90% interval (5th–95th percentile of the resamples)" });

const PredictionSchema = z.object({
  p50: EstimateSchema,
  p95: EstimateSchema,
  p99: EstimateSchema,
  compliance: EstimateSchema,
});

const PeriodSchema = z.object({
  attempts: z.number().int(),
  durations: DurationSummarySchema,
  compliance: z.number().nullable(),
});

/** GET /api/v1/insight/simulation and `deployslo simulate --format json`. */
export const SimulationSchema = z
  .object({
    selector: z.array(z.string()),
    from: z.string().nullable(),
    to: z.string().nullable(),
    complete: z.boolean(),
    changes: z.array(z.string()),
    seed: z.number().int(),
    attempts: z.number().int(),
    served: z.number().int(),
    thresholdSeconds: z.number(),
    resamples: z.number().int(),
    interval: z.number(),
    before: PeriodSchema,
    after: PeriodSchema,
    predicted: PredictionSchema,
    backtest: z
      .object({
        splitAt: z.string(),
        earlier: PeriodSchema,
        later: PeriodSchema,
        predicted: PredictionSchema,
        inside: z.object({
          p50: z.boolean(),
          p95: z.boolean(),
          p99: z.boolean(),
          compliance: z.boolean(),
        }),
      })
      .nullable(),
  })
  .meta({ id: "Simulation" });

export type SimulationJson = z.output<typeof SimulationSchema>;
