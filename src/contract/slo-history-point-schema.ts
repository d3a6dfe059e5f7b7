import { z } from "zod";

const nullableSeconds = z.number().nullable();

/** One point of an SLO's history, for charts. */
export const SloHistoryPointSchema = z.object({
  at: z.string(),
  eligible: z.number().int(),
  bad: z.number().int(),
  compliance: z.number().nullable(),
  remainingRatio: z.number(),
  p50: nullableSeconds,
  p95: nullableSeconds,
  p99: nullableSeconds,
});

export type SloHistoryPoint = z.output<typeof SloHistoryPointSchema>;
