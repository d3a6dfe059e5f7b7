import { z } from "zod";
import { DurationSummarySchema } from "./duration-summary-schema.js";

const seconds = z.number().nullable().meta({ description: "seconds" });

const ThresholdFitSchema = z.object({
  thresholdSeconds: z.number(),
  eligible: z.number().int(),
  good: z.number().int(),
  bad: z.number().int(),
  compliance: z.number().nullable(),
});

/** GET /api/v1/insight/recommendation and `deployslo recommend --format json`. */
export const ThresholdRecommendationSchema = z
  .object({
    selector: z.array(z.string()).meta({ description: "KEY=VALUE terms of the scope" }),
    from: z.string().nullable(),
    to: z.string().nullable(),
    complete: z.boolean().meta({ description: "false when only the newest attempts were read" }),
    target: z.number(),
    attempts: z.number().int().meta({ description: "attempts whose outcome was known" }),
    durations: DurationSummarySchema,
    thresholdSeconds: seconds.meta({
      description: "the smallest whole-second threshold meeting the target; null: none does",
    }),
    historicalCompliance: z.number().nullable(),
    fit: ThresholdFitSchema.nullable(),
    errorBudget: z
      .object({
        total: z.number(),
        consumed: z.number(),
        remaining: z.number(),
        remainingRatio: z.number(),
      })
      .nullable(),
    reverse: ThresholdFitSchema.extend({ highestTarget: z.number().nullable() }).nullable(),
    dependencies: z.array(z.object({ name: z.string(), samples: z.number().int(), p99: seconds })),
    dependencyP99SumSeconds: seconds,
    splits: z.array(
      z.object({
        key: z.string(),
        groups: z.array(
          z.object({
            value: z.string(),
            attempts: z.number().int(),
            durations: DurationSummarySchema,
            thresholdSeconds: seconds,
            historicalCompliance: z.number().nullable(),
          }),
        ),
      }),
    ),
    snippet: z.string().nullable().meta({ description: "an SLO spec with the recommendation" }),
  })
  .meta({ id: "ThresholdRecommendation" });

export type ThresholdRecommendationJson = z.output<typeof ThresholdRecommendationSchema>;
