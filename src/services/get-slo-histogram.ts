import {
  type DurationHistogram,
  durationHistogram,
} from "../core/evaluation/duration-histogram.js";
import { sloDurations } from "../core/evaluation/slo-durations.js";
import type { Slo } from "../core/spec/slo.js";
import type { SloEngine } from "./slo-engine.js";

/** The durations behind one SLO's percentiles as of `at`, binned, with the failures counted. */
export async function getSloHistogram(
  engine: SloEngine,
  slo: Slo,
  at: number,
): Promise<DurationHistogram & { readonly withoutDuration: number }> {
  return engine.read((_slos, tables) => {
    const { durationsMs, withoutDuration } = sloDurations(slo, tables, at);
    return { ...durationHistogram(durationsMs, slo.objective.thresholdMs), withoutDuration };
  });
}
