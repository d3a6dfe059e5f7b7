import {
  type DurationHistogram,
  durationHistogram,
} from "../core/evaluation/duration-histogram.js";
import { sloDurations } from "../core/evaluation/slo-durations.js";
import { type ReadScope, visibleSlo } from "./read-scope.js";
import type { UseCaseCall } from "./service-context.js";

/**
 * The durations behind one SLO's percentiles as of `at`, binned, with the failures counted.
 * NOT_FOUND for an SLO the reader may not see.
 */
export async function getSloHistogram({
  ctx,
  input: { name, at, scope },
}: UseCaseCall<
  "engine",
  { readonly name: string; readonly at: number; readonly scope: ReadScope }
>): Promise<DurationHistogram & { readonly withoutDuration: number }> {
  const slo = visibleSlo(ctx.engine, name, scope);
  return ctx.engine.read((_slos, tables) => {
    const { durationsMs, withoutDuration } = sloDurations(slo, tables, at);
    return { ...durationHistogram(durationsMs, slo.objective.thresholdMs), withoutDuration };
  }, at);
}
