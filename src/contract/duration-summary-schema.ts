import { z } from "zod";

const seconds = z.number().nullable().meta({ description: "seconds" });

/** Nearest-rank percentiles of a set of durations (docs/semantics.md#percentiles). */
export const DurationSummarySchema = z
  .object({ count: z.number().int(), p50: seconds, p95: seconds, p99: seconds, max: seconds })
  .meta({ id: "DurationSummary" });

export type DurationSummaryJson = z.output<typeof DurationSummarySchema>;
