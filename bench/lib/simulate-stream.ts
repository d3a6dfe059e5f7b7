import type { Attempt } from "../../src/core/attempt/attempt.js";
import {
  chance,
  lognormal,
  type Random,
  seededRandom,
  uniform,
} from "../../src/sample/seeded-random.js";

const DAY = 86_400_000;
const MINUTE = 60_000;

/** A simulated deployment stream for the alert-quality benchmark. */
export interface StreamScenario {
  readonly name: string;
  readonly perDay: number;
  readonly days: number;
  /** Share of attempts that are slow (past the threshold) or fail in healthy times. */
  readonly badRate: number;
  /** From `start` (ms after the stream starts) every attempt is slow, until `end`. */
  readonly regression: { readonly start: number; readonly end: number } | null;
  /** The bad share rises linearly to `to` over the whole stream. */
  readonly driftTo: number | null;
}

export interface SimulatedStream {
  readonly scenario: StreamScenario;
  readonly start: number;
  readonly attempts: readonly Attempt[];
  /** The SLO threshold the stream is built around. */
  readonly thresholdMs: number;
}

export const SIMULATED_THRESHOLD_MS = 10 * MINUTE;

function duration(rand: Random, bad: boolean): { ms: number; failed: boolean } {
  if (bad) {
    if (chance(rand, 0.2)) return { ms: Math.round(uniform(rand, 1, 9) * MINUTE), failed: true };
    return { ms: Math.round(uniform(rand, 11, 30) * MINUTE), failed: false };
  }
  // Good ones: median 4 minutes, capped under the threshold.
  return {
    ms: Math.min(Math.round(lognormal(rand, 4 * MINUTE, 0.35)), 9.5 * MINUTE),
    failed: false,
  };
}

/**
 * Attempts arriving at random (exponential gaps, `perDay` on average) over `days` days from
 * `start`. Deterministic for a seed.
 */
export function simulateStream(
  scenario: StreamScenario,
  seed: number,
  start: number,
): SimulatedStream {
  const rand = seededRandom(seed);
  const attempts: Attempt[] = [];
  const meanGap = DAY / scenario.perDay;
  const end = start + scenario.days * DAY;
  let t = start + Math.round(-Math.log(1 - rand()) * meanGap);
  let n = 0;
  while (t < end) {
    const offset = t - start;
    const inRegression =
      scenario.regression !== null &&
      offset >= scenario.regression.start &&
      offset < scenario.regression.end;
    const rate =
      scenario.driftTo === null
        ? scenario.badRate
        : scenario.badRate + (scenario.driftTo - scenario.badRate) * (offset / (end - start));
    const bad = inRegression || chance(rand, rate);
    const d = inRegression && !bad ? duration(rand, true) : duration(rand, bad);
    n++;
    attempts.push({
      id: `${scenario.name}-${n}`,
      model: "simulated",
      version: String(n),
      environment: "production",
      labels: {},
      startedAt: t,
      servingAt: d.failed ? null : t + d.ms,
      endedAt: t + d.ms,
      outcome: d.failed ? "failed" : "succeeded",
      stages: [],
      dependencies: [],
      attributes: {},
    });
    t += Math.max(1000, Math.round(-Math.log(1 - rand()) * meanGap));
  }
  return { scenario, start, attempts, thresholdMs: SIMULATED_THRESHOLD_MS };
}
