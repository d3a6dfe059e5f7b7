import { z } from "zod";

/** The gate's pre-flight estimate of a promotion, from the history of similar attempts. */
export const GateEstimateSchema = z
  .object({
    similarity: z.enum(["model_and_labels", "model", "environment"]).meta({
      description:
        "which attempts were taken as similar: the same model, environment and labels; else the same model and environment; else the same environment",
    }),
    basis: z
      .string()
      .meta({ description: 'the similar attempts in words, e.g. "iris in production"' }),
    attempts: z.number().int().meta({ description: "finished attempts the estimate rests on" }),
    served: z.number().int(),
    p50Seconds: z.number().nullable(),
    p90Seconds: z.number().nullable(),
    slos: z.array(
      z.object({
        name: z.string(),
        thresholdSeconds: z.number(),
        breachProbability: z.number().nullable().meta({
          description: "the chance the promotion serves later than the threshold, or never",
        }),
      }),
    ),
  })
  .meta({ description: "null when no SLO selects the promotion" });

export type GateEstimate = z.output<typeof GateEstimateSchema>;
