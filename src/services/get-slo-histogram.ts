import {
  type DurationHistogram,
  durationHistogram,
} from "../core/evaluation/duration-histogram.js";
import { sloDurations } from "../core/evaluation/slo-durations.js";
import type { Slo } from "../core/spec/slo.js";
import type { UseCaseCall } from "./service-context.js";

/** The durations behind one SLO's percentiles as of `at`, binned, with the failures counted. */
export async function getSloHistogram({
  ctx,
  input: { slo, at },
}: UseCaseCall<"engine", { readonly slo: Slo; readonly at: number }>): Promise<
  DurationHistogram & { readonly withoutDuration: number }
> {
  return ctx.engine.read((_slos, tables) => {
    const { durationsMs, withoutDuration } = sloDurations(slo, tables, at);
    return { ...durationHistogram(durationsMs, slo.objective.thresholdMs), withoutDuration };
  });
}
