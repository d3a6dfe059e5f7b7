import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  arbitraryAttempt as attemptsOf,
  arbitrarySlo as slosOf,
} from "../../../test/support/arbitraries.js";
import {
  DAY,
  HOUR,
  MINUTE,
  makeAttempt,
  makeSlo,
  makeStage,
  SECOND,
  T0,
} from "../../../test/support/make-attempt.js";
import type { Attempt } from "../attempt/attempt.js";
import type { Slo } from "../spec/slo.js";
import { AttemptTables } from "./attempt-tables.js";
import { evaluateSlo } from "./evaluate-slo.js";

/**
 * Evaluates with a plain scan and with hourly bucket aggregates (as the service keeps them),
 * which must agree on every case below.
 */
function evaluate(slo: Slo, attempts: readonly Attempt[], at: number) {
  const plain = AttemptTables.forSlos([slo]);
  const bucketed = AttemptTables.forSlos([slo], { bucketMs: HOUR });
  for (const attempt of attempts) {
    plain.add(attempt);
    bucketed.add(attempt);
  }
  const status = evaluateSlo(slo, plain, at);
  expect(evaluateSlo(slo, bucketed, at)).toEqual(status);
  return status;
}

const fast = (start: number, seconds: number) =>
  makeAttempt({ startedAt: start, servingAt: start + seconds * SECOND });

describe("evaluateSlo: occurrences", () => {
  it("reports an empty window as met with the whole budget left", () => {
    const status = evaluate(makeSlo(), [], T0);
    expect(status).toMatchObject({
      eligible: 0,
      good: 0,
      bad: 0,
      inProgress: 0,
      compliance: null,
      met: true,
      errorBudget: {
        total: 0,
        consumed: 0,
        remaining: 0,
        remainingRatio: 1,
        unit: "attempts",
        perAttemptSeconds: null,
      },
      burnRates: { "1h": 0, "6h": 0, "1d": 0, "3d": 0, window: 0 },
      percentiles: { p50: null, p90: null, p95: null, p99: null, max: null },
    });
  });

  it("counts 1 bad in 100 against a 99% target as exactly the whole budget", () => {
    const attempts = Array.from({ length: 99 }, (_, i) => fast(T0 + i * HOUR, 60));
    attempts.push(
      makeAttempt({
        startedAt: T0 + 100 * HOUR,
        outcome: "failed",
        endedAt: T0 + 100 * HOUR + MINUTE,
      }),
    );
    const status = evaluate(makeSlo({ targetPercent: "99" }), attempts, T0 + 101 * HOUR);
    expect(status.eligible).toBe(100);
    expect(status.compliance).toBe(0.99);
    expect(status.met).toBe(true);
    expect(status.errorBudget).toMatchObject({
      total: 1,
      consumed: 1,
      remaining: 0,
      remainingRatio: 0,
    });
    expect(status.burnRates.window).toBe(1);
    // The failure is the only attempt in the last hour: burn = (1/1) / 1%.
    expect(status.burnRates["1h"]).toBe(100);
  });

  it("is violated one bad attempt past the budget, with a negative remainder", () => {
    const attempts = [
      fast(T0, 10),
      makeAttempt({ startedAt: T0 + HOUR, outcome: "timed_out", endedAt: T0 + 2 * HOUR }),
    ];
    const status = evaluate(makeSlo({ targetPercent: "90" }), attempts, T0 + 3 * HOUR);
    expect(status).toMatchObject({ eligible: 2, good: 1, bad: 1, compliance: 0.5, met: false });
    expect(status.errorBudget.total).toBe(0.2);
    expect(status.errorBudget.remaining).toBe(-0.8);
    expect(status.errorBudget.remainingRatio).toBe(-4);
  });

  it("counts verdicts in (at − W, at]: a verdict exactly W ago is out, 1 ms later is in", () => {
    const slo = makeSlo({ window: { kind: "rolling", ms: DAY } });
    const attempt = fast(T0, 60); // good at T0 + 60s
    const verdictAt = T0 + 60 * SECOND;
    expect(evaluate(slo, [attempt], verdictAt + DAY).eligible).toBe(0);
    expect(evaluate(slo, [attempt], verdictAt + DAY - 1).eligible).toBe(1);
  });

  it("counts an attempt exactly at the threshold as good and 1 ms over as bad", () => {
    const slo = makeSlo({ thresholdMs: 5 * MINUTE });
    const exact = makeAttempt({ startedAt: T0, servingAt: T0 + 5 * MINUTE });
    const over = makeAttempt({ startedAt: T0, servingAt: T0 + 5 * MINUTE + 1 });
    expect(evaluate(slo, [exact, over], T0 + HOUR)).toMatchObject({ good: 1, bad: 1 });
  });

  it("counts a stuck deployment as bad as soon as it crosses the threshold, and as in progress", () => {
    const slo = makeSlo({ thresholdMs: 5 * MINUTE });
    const stuck = makeAttempt({ startedAt: T0 });
    expect(evaluate(slo, [stuck], T0 + 5 * MINUTE)).toMatchObject({ eligible: 0, inProgress: 1 });
    expect(evaluate(slo, [stuck], T0 + 5 * MINUTE + 1)).toMatchObject({
      eligible: 1,
      bad: 1,
      inProgress: 1,
    });
  });

  it("uses only what was known at `at`: an outcome 1 ms in the future is not known", () => {
    const slo = makeSlo();
    const failing = makeAttempt({ startedAt: T0, outcome: "failed", endedAt: T0 + MINUTE });
    expect(evaluate(slo, [failing], T0 + MINUTE - 1)).toMatchObject({ eligible: 0, inProgress: 1 });
    expect(evaluate(slo, [failing], T0 + MINUTE)).toMatchObject({
      eligible: 1,
      bad: 1,
      inProgress: 0,
    });
  });

  it("excludes attempts cancelled within the threshold", () => {
    const cancelled = makeAttempt({ startedAt: T0, outcome: "cancelled", endedAt: T0 + MINUTE });
    expect(evaluate(makeSlo(), [cancelled], T0 + HOUR)).toMatchObject({
      eligible: 0,
      inProgress: 0,
    });
  });

  it("matches the selector: environment, model glob and every label", () => {
    const slo = makeSlo({
      selector: { environment: "production", model: "fraud-*", labels: { team: "risk" } },
    });
    const attempts = [
      makeAttempt({ startedAt: T0, servingAt: T0 + 1, labels: { team: "risk" } }),
      makeAttempt({ startedAt: T0, servingAt: T0 + 1, labels: { team: "growth" } }),
      makeAttempt({
        startedAt: T0,
        servingAt: T0 + 1,
        labels: { team: "risk" },
        environment: "staging",
      }),
      makeAttempt({ startedAt: T0, servingAt: T0 + 1, labels: { team: "risk" }, model: "churn" }),
      makeAttempt({
        startedAt: T0,
        servingAt: T0 + 1,
        labels: { team: "risk", tier: "1" },
        model: "fraud-x",
      }),
    ];
    expect(evaluate(slo, attempts, T0 + HOUR).eligible).toBe(2);
  });

  it("computes nearest-rank percentiles over successes in the window, in seconds", () => {
    const attempts = Array.from({ length: 20 }, (_, i) => fast(T0 + i * MINUTE, (i + 1) * 10));
    attempts.push(makeAttempt({ startedAt: T0, outcome: "failed", endedAt: T0 + 5000 }));
    const status = evaluate(makeSlo({ thresholdMs: HOUR }), attempts, T0 + DAY);
    expect(status.percentiles).toEqual({ p50: 100, p90: 180, p95: 190, p99: 200, max: 200 });
  });

  it("lets a later record with the same id replace the earlier one", () => {
    const first = makeAttempt({ id: "a", startedAt: T0 });
    const second = makeAttempt({ id: "a", startedAt: T0, servingAt: T0 + SECOND });
    expect(evaluate(makeSlo(), [first, second], T0 + HOUR)).toMatchObject({
      eligible: 1,
      good: 1,
      inProgress: 0,
    });
  });

  it("reports the target without float artifacts", () => {
    expect(evaluate(makeSlo({ targetPercent: "99.9" }), [], T0).target).toBe(0.999);
  });
});

describe("evaluateSlo: excess-time", () => {
  it("gives 99.9% over 30 days 43.2 minutes of violation, about 26 s per deployment for 100", () => {
    const slo = makeSlo({
      budgeting: "excess-time",
      targetPercent: "99.9",
      window: { kind: "rolling", ms: 30 * DAY },
    });
    const attempts = Array.from({ length: 100 }, (_, i) => fast(T0 + i * HOUR, 60));
    const status = evaluate(slo, attempts, T0 + 101 * HOUR);
    expect(status.errorBudget.total).toBe(43.2 * 60);
    expect(status.errorBudget.unit).toBe("seconds");
    expect(status.errorBudget.perAttemptSeconds).toBe(25.92);
    expect(status.compliance).toBe(1);
    expect(status.met).toBe(true);
  });

  it("consumes the overrun of slow successes and the whole of failures, inside the window only", () => {
    const slo = makeSlo({
      budgeting: "excess-time",
      thresholdMs: 5 * MINUTE,
      window: { kind: "rolling", ms: DAY },
    });
    const at = T0 + DAY;
    const attempts = [
      makeAttempt({ startedAt: T0 + HOUR, servingAt: T0 + HOUR + 7 * MINUTE }), // 2m over
      makeAttempt({
        startedAt: T0 + 2 * HOUR,
        outcome: "failed",
        endedAt: T0 + 2 * HOUR + 3 * MINUTE,
      }), // 3m wasted
      // Started before the window: only the part of its overrun inside (at − 1d, at] counts.
      makeAttempt({ startedAt: T0 - 10 * MINUTE, servingAt: T0 + 2 * MINUTE }),
    ];
    const status = evaluate(slo, attempts, at);
    expect(status.errorBudget.consumed).toBe((2 + 3 + 2) * 60);
    expect(status.eligible).toBe(2); // the third's verdict (T0 − 5m) is outside the window
  });

  it("burns in-progress overruns up to `at`", () => {
    const slo = makeSlo({ budgeting: "excess-time", thresholdMs: 5 * MINUTE });
    const status = evaluate(slo, [makeAttempt({ startedAt: T0 })], T0 + 15 * MINUTE);
    expect(status.errorBudget.consumed).toBe(600);
    // 10 minutes of violation in the last hour against 1% of an hour (36 s).
    expect(status.burnRates["1h"]).toBe(600 / 36);
  });

  it("sizes calendar budgets on the whole period", () => {
    const slo = makeSlo({
      budgeting: "excess-time",
      targetPercent: "99",
      window: { kind: "calendar", unit: "month" },
    });
    const status = evaluate(slo, [], Date.parse("2026-10-02T00:00:00Z"));
    expect(status.errorBudget.total).toBe(31 * 86_400 * 0.01);
    expect(status.window.start).toBe("2026-10-01T00:00:00.000Z");
  });
});

describe("evaluateSlo: stage indicator", () => {
  it("judges each run of the stage and ignores runs of replaced attempts", () => {
    const slo = makeSlo({
      indicator: { kind: "stage", stage: "provision" },
      thresholdMs: 2 * MINUTE,
    });
    const stage = (
      start: number,
      minutes: number,
      status: "succeeded" | "failed" | "skipped" = "succeeded",
    ) =>
      makeStage({ name: "provision", startedAt: start, endedAt: start + minutes * MINUTE, status });
    const attempts = [
      makeAttempt({ id: "x", startedAt: T0, stages: [stage(T0, 1), stage(T0 + 2 * MINUTE, 3)] }),
      makeAttempt({
        id: "y",
        startedAt: T0,
        stages: [stage(T0, 1, "failed"), stage(T0, 9, "skipped")],
      }),
      makeAttempt({
        id: "z",
        startedAt: T0,
        stages: [stage(T0, 1), makeStage({ name: "validate", startedAt: T0, endedAt: T0 + HOUR })],
      }),
      makeAttempt({ id: "z", startedAt: T0, stages: [stage(T0, 5)] }),
    ];
    const status = evaluate(slo, attempts, T0 + HOUR);
    expect(status).toMatchObject({ eligible: 4, good: 1, bad: 3 });
    expect(status.percentiles.max).toBe(300);
  });
});

const arbitraryAttempt = attemptsOf({
  startSpanMs: 10 * DAY,
  duration: fc.integer({ min: 0, max: 2 * HOUR }),
});

const arbitrarySlo = slosOf({
  maxMinutes: 90,
  windows: [
    { kind: "rolling", ms: DAY },
    { kind: "rolling", ms: 7 * DAY },
    { kind: "calendar", unit: "week" },
    { kind: "calendar", unit: "month" },
  ],
});

describe("evaluateSlo: invariants", () => {
  it("good + bad = eligible, and compliance is good / eligible for occurrences", () => {
    fc.assert(
      fc.property(
        arbitrarySlo,
        fc.array(arbitraryAttempt, { maxLength: 40 }),
        fc.integer({ min: 0, max: 12 * DAY }),
        (slo, attempts, offset) => {
          const status = evaluate(slo, attempts, T0 + offset);
          expect(status.good + status.bad).toBe(status.eligible);
          if (slo.budgeting === "occurrences") {
            expect(status.compliance).toBe(
              status.eligible === 0 ? null : status.good / status.eligible,
            );
            expect(status.errorBudget.consumed).toBe(status.bad);
          }
        },
      ),
    );
  });

  it("consumed excess time never exceeds the attempts' total duration", () => {
    fc.assert(
      fc.property(
        arbitrarySlo,
        fc.array(arbitraryAttempt, { maxLength: 40 }),
        fc.integer({ min: 0, max: 12 * DAY }),
        (slo, attempts, offset) => {
          const at = T0 + offset;
          const excessSlo = { ...slo, budgeting: "excess-time" as const };
          const status = evaluate(excessSlo, attempts, at);
          const total = attempts
            .filter((a) => a.startedAt <= at)
            .reduce(
              (sum, a) => sum + Math.min(a.servingAt ?? a.endedAt ?? at, at) - a.startedAt,
              0,
            );
          // consumed is whole milliseconds reported in seconds; compare in milliseconds.
          expect(Math.round(status.errorBudget.consumed * 1000)).toBeLessThanOrEqual(total);
        },
      ),
      { numRuns: Number(process.env.FC_RUNS ?? 100) },
    );
  });

  it("evaluating later never un-counts a verdict that is still inside the window", () => {
    fc.assert(
      fc.property(
        fc.array(arbitraryAttempt, { maxLength: 30 }),
        fc.integer({ min: 1, max: 90 }),
        fc.integer({ min: 0, max: 11 * DAY }),
        fc.integer({ min: 0, max: 2 * DAY }),
        (attempts, thresholdMinutes, offset, later) => {
          // With a long rolling window, nothing leaves it between the two instants.
          const slo = makeSlo({
            thresholdMs: thresholdMinutes * MINUTE,
            window: { kind: "rolling", ms: 30 * DAY },
          });
          const early = evaluate(slo, attempts, T0 + offset);
          const late = evaluate(slo, attempts, T0 + offset + later);
          expect(late.bad).toBeGreaterThanOrEqual(early.bad);
          expect(late.good).toBeGreaterThanOrEqual(early.good);
        },
      ),
    );
  });

  it("each attempt's own verdict never changes once known", () => {
    fc.assert(
      fc.property(
        arbitraryAttempt,
        fc.integer({ min: 1, max: 90 }),
        fc.integer({ min: 0, max: 3 * HOUR }),
        fc.integer({ min: 0, max: 3 * HOUR }),
        (attempt, minutes, a, b) => {
          const slo = makeSlo({
            thresholdMs: minutes * MINUTE,
            window: { kind: "rolling", ms: 30 * DAY },
          });
          const first = evaluate(slo, [attempt], attempt.startedAt + Math.min(a, b));
          const second = evaluate(slo, [attempt], attempt.startedAt + Math.max(a, b));
          if (first.good === 1) expect(second.good).toBe(1);
          if (first.bad === 1) expect(second.bad).toBe(1);
        },
      ),
    );
  });
});

describe("evaluateSlo: bucket aggregates", () => {
  // T0 is on the hour, so hourly buckets start at T0 + n hours.
  const slo = makeSlo({ thresholdMs: 10 * MINUTE, window: { kind: "rolling", ms: DAY } });

  it("does not count a verdict that lands exactly at a bucket's end before it is known", () => {
    const bucketEnd = T0 + 2 * HOUR;
    const attempt = makeAttempt({ startedAt: bucketEnd - 5 * MINUTE, servingAt: bucketEnd });
    const later = fast(T0 + 3 * HOUR, 60);
    expect(evaluate(slo, [attempt, later], bucketEnd - 1)).toMatchObject({
      good: 0,
      inProgress: 1,
    });
    expect(evaluate(slo, [attempt, later], bucketEnd)).toMatchObject({ good: 1, inProgress: 0 });
    expect(evaluate(slo, [attempt, later], T0 + 5 * HOUR)).toMatchObject({ good: 2 });
  });

  it("follows an attempt that is replaced after its bucket was aggregated", () => {
    const tables = AttemptTables.forSlos([slo], { bucketMs: HOUR });
    const first = makeAttempt({ id: "a", startedAt: T0 + HOUR, servingAt: T0 + HOUR + MINUTE });
    tables.add(first);
    const at = T0 + 6 * HOUR;
    expect(evaluateSlo(slo, tables, at)).toMatchObject({ good: 1, bad: 0 });
    tables.add({ ...first, servingAt: T0 + HOUR + 30 * MINUTE });
    expect(evaluateSlo(slo, tables, at)).toMatchObject({ good: 0, bad: 1 });
    // Moved to another bucket: the old one no longer holds it.
    tables.add({ ...first, startedAt: T0 + 3 * HOUR, servingAt: T0 + 3 * HOUR + MINUTE });
    expect(evaluateSlo(slo, tables, at)).toMatchObject({ good: 1, bad: 0, eligible: 1 });
  });
});

describe("evaluateSlo: forecast and dependency indicators", () => {
  it("forecasts exhaustion from the 3d burn, and never when the burn is at most 1", () => {
    // Target 90%: 10 attempts over the last 10 days, the last 2 (in the 3d lookback) bad.
    const attempts = Array.from({ length: 10 }, (_, i) =>
      makeAttempt({
        startedAt: T0 + i * DAY,
        servingAt: T0 + i * DAY + (i >= 8 ? 10 * MINUTE : MINUTE),
      }),
    );
    const at = T0 + 9 * DAY + HOUR;
    const status = evaluate(makeSlo({ targetPercent: "90" }), attempts, at);
    // total 1, consumed 2: overspent, so exhausted already.
    expect(status.forecast.exhaustsAt).toBe(new Date(at).toISOString());
    const healthy = evaluate(makeSlo({ targetPercent: "90" }), attempts.slice(0, 8), at);
    expect(healthy.forecast.exhaustsAt).toBeNull();
  });

  it("judges each dependency sample against the threshold", () => {
    const slo = makeSlo({
      indicator: { kind: "dependency", dependency: "registry_pull" },
      thresholdMs: 30 * SECOND,
      targetPercent: "90",
    });
    const sample = (seconds: number, at: number) => ({
      name: "registry_pull",
      seconds,
      at,
      attributes: {},
    });
    const attempts = [
      makeAttempt({
        startedAt: T0,
        servingAt: T0 + MINUTE,
        dependencies: [sample(12, T0 + 20 * SECOND), sample(45, T0 + 50 * SECOND)],
      }),
      makeAttempt({
        startedAt: T0 + HOUR,
        servingAt: T0 + HOUR + MINUTE,
        dependencies: [{ name: "image_pull", seconds: 99, at: null, attributes: {} }],
      }),
    ];
    const status = evaluate(slo, attempts, T0 + 2 * HOUR);
    expect(status).toMatchObject({
      indicator: { type: "dependency", dependency: "registry_pull" },
      eligible: 2,
      good: 1,
      bad: 1,
      percentiles: { max: 45 },
    });
  });
});
