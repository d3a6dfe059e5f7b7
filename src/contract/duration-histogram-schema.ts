import { z } from "zod";

/** GET /api/v1/slos/{name}/histogram: the durations behind an SLO's percentiles, binned. */
export const DurationHistogramSchema = z
  .object({
    edges: z.array(z.number()).readonly().meta({ description: "bin edges in seconds (bins + 1)" }),
    counts: z.array(z.number().int()).readonly(),
    overflow: z.number().int().meta({ description: "durations above the last edge" }),
    thresholdSeconds: z.number(),
    total: z.number().int(),
    withoutDuration: z.number().int().meta({ description: "counted attempts that never served" }),
  })
  .meta({ id: "DurationHistogram" });

export type DurationHistogramJson = z.output<typeof DurationHistogramSchema>;
