import { z } from "zod";

const seconds = z.number().meta({ description: "seconds" });
const SpanPointSchema = z.object({ stage: z.string(), at: z.enum(["start", "end"]) });
const nullableSeconds = z.number().nullable();

/** Where one SLO stands as of an instant: the status API and `deployslo evaluate --format json`. */
export const SloStatusSchema = z
  .object({
    name: z.string(),
    description: z.string().nullable(),
    indicator: z.union([
      z.object({ type: z.literal("deployment") }),
      z.object({ type: z.literal("stage"), stage: z.string() }),
      z.object({ type: z.literal("dependency"), dependency: z.string() }),
      z
        .object({
          type: z.literal("span"),
          from: SpanPointSchema.nullable().meta({
            description: "where the clock starts; null: the promote request (startedAt)",
          }),
          to: SpanPointSchema.nullable().meta({
            description: "where it stops; null: the first successful inference (servingAt)",
          }),
        })
        .meta({ description: "the deployment measured from and to other points" }),
    ]),
    window: z.object({
      kind: z.enum(["rolling", "calendar"]),
      length: z.string().meta({ description: "30d, 7d, … or month / week" }),
      start: z.string().meta({
        description: "RFC 3339; exclusive for rolling windows, inclusive for calendar ones",
      }),
      end: z.string().meta({ description: "RFC 3339; the evaluation instant" }),
      lengthSeconds: seconds,
    }),
    thresholdSeconds: seconds,
    target: z.number(),
    percentile: z.number().int().nullable(),
    budgeting: z.enum(["occurrences", "excess-time"]),
    eligible: z.number().int(),
    good: z.number().int(),
    bad: z.number().int(),
    inProgress: z.number().int(),
    compliance: z.number().nullable(),
    met: z.boolean(),
    errorBudget: z.object({
      total: z.number(),
      consumed: z.number(),
      remaining: z.number(),
      remainingRatio: z.number(),
      unit: z.enum(["attempts", "seconds"]),
      perAttemptSeconds: nullableSeconds,
    }),
    burnRates: z
      .object({
        "1h": z.number(),
        "6h": z.number(),
        "1d": z.number(),
        "3d": z.number(),
        window: z.number(),
      })
      .catchall(z.number())
      .meta({
        description:
          "Burn rate per lookback: always 1h, 6h, 1d, 3d and the whole window, and the long window of each of the SLO's burn-rate alert rules (e.g. 14m for a 7d window)",
      }),
    forecast: z.object({
      exhaustsAt: z.string().nullable().meta({
        description:
          "RFC 3339: when the error budget would be spent at the 3d burn rate; null when never",
      }),
    }),
    percentiles: z.object({
      p50: nullableSeconds,
      p90: nullableSeconds,
      p95: nullableSeconds,
      p99: nullableSeconds,
      max: nullableSeconds,
    }),
  })
  .meta({
    id: "SloStatus",
    description: "Where one SLO stands as of an instant; see docs/semantics.md",
  });

export type SloStatus = z.output<typeof SloStatusSchema>;
export type BurnRateKey = keyof SloStatus["burnRates"];
