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
  /**
   * From `start` (ms after the stream starts) until `end` a `share` of the attempts (all when
   * absent) is slow or fails; with `stall`, every attempt hangs instead (in progress, never
   * serving) until the stall ends and the stuck ones are cancelled.
   */
  readonly regression: {
    readonly start: number;
    readonly end: number;
    readonly share?: number;
    readonly stall?: boolean;
  } | null;
  /** The bad share rises linearly to `to` over the whole stream. */
  readonly driftTo: number | null;
  /**
   * A release train: attempts arrive only in a burst of `hours` every `everyDays` days (from
   * day `firstDay`, at 09:00), `perDay` × everyDays of them per burst.
   */
  readonly train?: {
    readonly everyDays: number;
    readonly firstDay: number;
    readonly hours: number;
  };
  /** Judge the stream by two SLOs over the same attempts (occurrences and excess-time). */
  readonly twins?: boolean;
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
  const end = start + scenario.days * DAY;
  const regression = scenario.regression;
  let n = 0;
  for (const t of arrivals(scenario, rand, start, end)) {
    const offset = t - start;
    const inRegression =
      regression !== null && offset >= regression.start && offset < regression.end;
    const rate =
      scenario.driftTo === null
        ? scenario.badRate
        : scenario.badRate + (scenario.driftTo - scenario.badRate) * (offset / (end - start));
    const share = regression?.share ?? 1;
    const bad = inRegression && share >= 1 ? true : chance(rand, inRegression ? share : rate);
    const d = duration(rand, bad);
    n++;
    if (inRegression && regression?.stall === true) {
      // Hangs until the stall is over, then is cancelled: never serves.
      attempts.push({
        ...attemptAt(scenario, n, t),
        endedAt: Math.max(t, start + regression.end) + MINUTE,
        outcome: "cancelled",
      });
      continue;
    }
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
  }
  return { scenario, start, attempts, thresholdMs: SIMULATED_THRESHOLD_MS };
}

function attemptAt(scenario: StreamScenario, n: number, t: number): Attempt {
  return {
    id: `${scenario.name}-${n}`,
    model: "simulated",
    version: String(n),
    environment: "production",
    labels: {},
    startedAt: t,
    servingAt: null,
    endedAt: null,
    outcome: "in_progress",
    stages: [],
    dependencies: [],
    attributes: {},
  };
}

/**
 * Arrival instants, ascending: exponential gaps, `perDay` a day on average (drawn between
 * attempts, as the streams always were), or for a release train the same number a day spread
 * at random over each burst (drawn up front).
 */
function* arrivals(
  scenario: StreamScenario,
  rand: Random,
  start: number,
  end: number,
): Generator<number> {
  const train = scenario.train;
  if (train !== undefined) {
    const count = Math.round(scenario.perDay * train.everyDays);
    const out: number[] = [];
    for (let day = train.firstDay; day < scenario.days; day += train.everyDays) {
      const from = start + day * DAY + 9 * 60 * MINUTE;
      const burst: number[] = [];
      for (let i = 0; i < count; i++)
        burst.push(from + Math.round(rand() * train.hours * 60 * MINUTE));
      out.push(...burst.sort((a, b) => a - b));
    }
    yield* out;
    return;
  }
  const meanGap = DAY / scenario.perDay;
  let t = start + Math.round(-Math.log(1 - rand()) * meanGap);
  while (t < end) {
    yield t;
    t += Math.max(1000, Math.round(-Math.log(1 - rand()) * meanGap));
  }
}
