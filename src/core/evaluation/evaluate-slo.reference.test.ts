import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { arbitraryAttempt, arbitrarySlo } from "../../../test/support/arbitraries.js";
import { DAY, HOUR, T0 } from "../../../test/support/make-attempt.js";
import type { Attempt, Stage } from "../attempt/attempt.js";
import { exactRatio } from "../primitives/exact-ratio.js";
import { nearestRank } from "../primitives/percentile.js";
import type { Slo, SpanPoint } from "../spec/slo.js";
import { windowBounds } from "../spec/window-bounds.js";
import { AttemptTables } from "./attempt-tables.js";
import { evaluateSlo } from "./evaluate-slo.js";
import type { SloStatus } from "./evaluation-result.js";

/** What the reference judges of one attempt: the attempt itself, re-timed for a span. */
interface Subject {
  readonly startedAt: number;
  readonly servingAt: number | null;
  readonly endedAt: number | null;
  readonly outcome: "succeeded" | "failed" | "cancelled" | "skipped" | "in_progress";
}

/** docs/semantics.md: the attempt's attribute, else the first stage that has one. */
function attributeOf(a: Attempt, name: string): string | undefined {
  const own = a.attributes[name];
  if (own !== undefined) return String(own);
  const stage = a.stages.find((s) => s.attributes[name] !== undefined);
  return stage === undefined ? undefined : String(stage.attributes[name]);
}

function selected(slo: Slo, a: Attempt): boolean {
  if (a.environment !== (slo.selector.environment ?? a.environment)) return false;
  return Object.entries(slo.selector.attributes ?? {}).every(
    ([name, value]) => attributeOf(a, name) === value,
  );
}

const OUTCOME = {
  succeeded: "succeeded",
  failed: "failed",
  rolled_back: "failed",
  timed_out: "failed",
  cancelled: "cancelled",
  in_progress: "in_progress",
} as const;

const STAGE_OUTCOME = { ...OUTCOME, skipped: "skipped" } as const;

/**
 * The subjects an SLO judges of one attempt: the attempt (or its span) when selected; for a
 * stage SLO each run of the stage, selected with the run's own attributes first.
 */
function subjectsOf(slo: Slo, a: Attempt): Subject[] {
  const indicator = slo.indicator;
  if (indicator.kind === "stage") {
    if (a.environment !== (slo.selector.environment ?? a.environment)) return [];
    return a.stages
      .filter(
        (run) =>
          run.name === indicator.stage &&
          Object.entries(slo.selector.attributes ?? {}).every(
            ([name, value]) =>
              (run.attributes[name] === undefined
                ? attributeOf(a, name)
                : String(run.attributes[name])) === value,
          ),
      )
      .map((run) => ({
        startedAt: run.startedAt,
        servingAt: run.status === "succeeded" ? run.endedAt : null,
        endedAt: run.endedAt,
        outcome: STAGE_OUTCOME[run.status],
      }));
  }
  if (!selected(slo, a)) return [];
  const subject = subjectOf(slo, a);
  return subject === undefined ? [] : [subject];
}

/** docs/semantics.md, "Measuring from another start or to another end", line by line. */
function subjectOf(slo: Slo, a: Attempt): Subject | undefined {
  const indicator = slo.indicator;
  if (indicator.kind !== "span") return { ...a, outcome: OUTCOME[a.outcome] };
  const runs = (name: string) => a.stages.filter((s) => s.name === name && s.status !== "skipped");
  const pointOf = (point: SpanPoint, s: Stage): number | null =>
    point.at === "start" ? s.startedAt : s.status === "succeeded" ? s.endedAt : null;
  let start = a.startedAt;
  if (indicator.from !== null) {
    const from = indicator.from;
    const times = runs(from.stage).flatMap((s) => pointOf(from, s) ?? []);
    if (times.length === 0) return undefined;
    start = Math.min(...times);
  }
  const after = (t: number | null) => (t === null ? null : Math.max(t, start));
  const ended = (outcome: Subject["outcome"], endedAt: number | null): Subject => ({
    startedAt: start,
    servingAt: null,
    endedAt: after(endedAt),
    outcome,
  });
  const to = indicator.to;
  if (to === null)
    return {
      startedAt: start,
      servingAt: a.outcome === "succeeded" ? after(a.servingAt) : null,
      endedAt: after(a.endedAt),
      outcome: OUTCOME[a.outcome],
    };
  const later = runs(to.stage).filter((s) => s.startedAt >= start);
  const reached = later.flatMap((s) => pointOf(to, s) ?? []);
  if (reached.length > 0)
    return {
      startedAt: start,
      servingAt: Math.min(...reached),
      endedAt: null,
      outcome: "succeeded",
    };
  if (a.outcome !== "succeeded") return ended(OUTCOME[a.outcome], a.endedAt);
  if (later.some((s) => s.status === "in_progress" || s.endedAt === null))
    return ended("in_progress", null);
  const failed = later.filter((s) => s.status === "failed" || s.status === "timed_out");
  if (failed.length > 0) return ended("failed", Math.min(...failed.map((s) => s.endedAt ?? 0)));
  return ended("cancelled", a.endedAt ?? a.servingAt);
}

/**
 * docs/semantics.md written out naively, one attempt at a time, with no indexes: the
 * evaluator's grouping, skipping and selection must give exactly these numbers.
 */
function reference(slo: Slo, attempts: readonly Attempt[], at: number) {
  const t = slo.objective.thresholdMs;
  const bounds = windowBounds(slo.window, at);
  const lookbacks = [HOUR, 6 * HOUR, DAY, 3 * DAY];
  let good = 0;
  let bad = 0;
  let inProgress = 0;
  let consumed = 0;
  const lookbackBad = [0, 0, 0, 0];
  const lookbackEligible = [0, 0, 0, 0];
  const lookbackConsumed = [0, 0, 0, 0];
  const durations: number[] = [];
  const overlap = (a: number, b: number, from: number) =>
    Math.max(0, Math.min(b, at) - Math.max(a, from));
  for (const a of attempts.flatMap((attempt) => subjectsOf(slo, attempt))) {
    if (a.startedAt > at) continue;
    const known =
      a.outcome === "succeeded"
        ? (a.servingAt ?? Number.POSITIVE_INFINITY) <= at
        : a.outcome === "in_progress"
          ? false
          : (a.endedAt ?? Number.POSITIVE_INFINITY) <= at;
    let verdict: "good" | "bad" | undefined;
    let verdictAt = 0;
    let violation: [number, number] | undefined;
    let duration: number | undefined;
    if (!known) {
      inProgress++;
      if (at - a.startedAt > t) {
        verdict = "bad";
        verdictAt = a.startedAt + t;
        violation = [a.startedAt + t, at];
      }
    } else if (a.outcome === "succeeded") {
      duration = (a.servingAt ?? 0) - a.startedAt;
      verdict = duration <= t ? "good" : "bad";
      verdictAt = duration <= t ? (a.servingAt ?? 0) : a.startedAt + t;
      if (duration > t) violation = [a.startedAt + t, a.servingAt ?? 0];
    } else if (a.outcome === "skipped") {
      // Never counted once its end is known.
    } else if (a.outcome === "cancelled") {
      if ((a.endedAt ?? 0) - a.startedAt > t) {
        verdict = "bad";
        verdictAt = a.startedAt + t;
        violation = [a.startedAt + t, a.endedAt ?? 0];
      }
    } else {
      verdict = "bad";
      verdictAt = Math.min(a.endedAt ?? 0, a.startedAt + t);
      violation = [a.startedAt, a.endedAt ?? 0];
    }
    if (verdict !== undefined) {
      if (verdictAt > bounds.verdictAfter) {
        if (verdict === "good") good++;
        else bad++;
        if (duration !== undefined) durations.push(duration);
      }
      lookbacks.forEach((l, k) => {
        if (verdictAt > at - l) {
          lookbackEligible[k] = (lookbackEligible[k] ?? 0) + 1;
          if (verdict === "bad") lookbackBad[k] = (lookbackBad[k] ?? 0) + 1;
        }
      });
    }
    if (violation !== undefined) {
      const [from, to] = violation;
      consumed += overlap(from, to, bounds.start);
      lookbacks.forEach((l, k) => {
        lookbackConsumed[k] = (lookbackConsumed[k] ?? 0) + overlap(from, to, at - l);
      });
    }
  }
  durations.sort((x, y) => x - y);
  const { units, scale } = slo.objective.target;
  const allowed = scale - units;
  const burn = lookbacks.map((l, k) =>
    slo.budgeting === "occurrences"
      ? (lookbackEligible[k] ?? 0) === 0
        ? 0
        : exactRatio(
            BigInt(lookbackBad[k] ?? 0) * scale,
            BigInt(lookbackEligible[k] ?? 0) * allowed,
          )
      : exactRatio(BigInt(lookbackConsumed[k] ?? 0) * scale, allowed * BigInt(l)),
  );
  const p = (q: number) => {
    const v = nearestRank(durations, durations.length, q);
    return v === undefined ? null : v / 1000;
  };
  return {
    good,
    bad,
    inProgress,
    consumed: slo.budgeting === "occurrences" ? bad : consumed / 1000,
    burn,
    percentiles: {
      p50: p(50),
      p90: p(90),
      p95: p(95),
      p99: p(99),
      max: durations.length === 0 ? null : (durations[durations.length - 1] ?? 0) / 1000,
    },
  };
}

/** What the reference computes, read off a status. */
function observed(status: SloStatus) {
  return {
    good: status.good,
    bad: status.bad,
    inProgress: status.inProgress,
    consumed: status.errorBudget.consumed,
    burn: [
      status.burnRates["1h"],
      status.burnRates["6h"],
      status.burnRates["1d"],
      status.burnRates["3d"],
    ],
    percentiles: status.percentiles,
  };
}

const STAGE_STATUSES = [
  "succeeded",
  "failed",
  "timed_out",
  "cancelled",
  "skipped",
  "in_progress",
] as const;

/** Runs of approval and canary anywhere around the attempt, some saying whether it was cold. */
const stageRun = fc.record({
  name: fc.constantFrom("approval", "canary"),
  offset: fc.integer({ min: 0, max: 3 * HOUR }),
  duration: fc.integer({ min: 0, max: 3 * HOUR }),
  status: fc.constantFrom(...STAGE_STATUSES),
  cold: fc.constantFrom(undefined, true, false),
});

/** Attempts with stages, and a coldStart attribute of their own, on a stage, or none. */
function withStages(attempts: fc.Arbitrary<Attempt>): fc.Arbitrary<Attempt> {
  return fc
    .tuple(attempts, fc.array(stageRun, { maxLength: 4 }), fc.constantFrom(undefined, true, false))
    .map(([a, runs, cold]) => ({
      ...a,
      attributes: cold === undefined ? {} : { coldStart: cold },
      stages: runs.map(
        (r): Stage => ({
          name: r.name,
          startedAt: a.startedAt + r.offset,
          endedAt: r.status === "in_progress" ? null : a.startedAt + r.offset + r.duration,
          status: r.status,
          kind: r.name === "approval" ? "wait" : "active",
          attributes: r.cold === undefined ? {} : { coldStart: r.cold },
        }),
      ),
    }));
}

const attempt = withStages(
  arbitraryAttempt({
    startSpanMs: 120 * DAY,
    duration: fc.oneof(
      fc.integer({ min: 0, max: 2 * HOUR }),
      fc.integer({ min: 0, max: 10 * DAY }),
    ),
    idCount: 60,
  }),
);

const point = fc.record({
  stage: fc.constantFrom("approval", "canary"),
  at: fc.constantFrom("start" as const, "end" as const),
});

/** The whole deployment, a stage, or a span from and/or to a stage's start or end. */
const indicator = fc.oneof(
  fc.constant<Slo["indicator"]>({ kind: "deployment" }),
  fc
    .constantFrom("approval", "canary")
    .map((stage): Slo["indicator"] => ({ kind: "stage", stage })),
  fc
    .record({ from: fc.option(point, { nil: null }), to: fc.option(point, { nil: null }) })
    .map(({ from, to }): Slo["indicator"] => ({ kind: "span", from, to })),
);

const baseSlo = arbitrarySlo({
  maxMinutes: 600,
  windows: [
    { kind: "rolling", ms: DAY },
    { kind: "rolling", ms: 7 * DAY },
    { kind: "rolling", ms: 30 * DAY },
    { kind: "calendar", unit: "week" },
    { kind: "calendar", unit: "month" },
  ],
});

const slo = fc.tuple(baseSlo, indicator, fc.constantFrom(undefined, "true", "false")).map(
  ([s, measured, cold]): Slo => ({
    ...s,
    indicator: measured,
    selector: cold === undefined ? s.selector : { ...s.selector, attributes: { coldStart: cold } },
  }),
);

describe("evaluateSlo against a naive reference", () => {
  it("gives exactly the reference's numbers for any history, SLO and instant", () => {
    fc.assert(
      fc.property(
        slo,
        fc.array(attempt, { maxLength: 80 }),
        fc.integer({ min: 0, max: 130 * DAY }),
        (s, raw, offset) => {
          // Later records with the same id replace earlier ones, as in the tables.
          const latest = new Map(raw.map((a) => [a.id, a]));
          const attempts = [...latest.values()];
          const tables = AttemptTables.forSlos([s]);
          for (const a of raw) tables.add(a);
          const at = T0 + offset;
          const status = evaluateSlo(s, tables, at);
          const expected = reference(s, attempts, at);
          expect(observed(status)).toEqual(expected);
        },
      ),
      { numRuns: Number(process.env.FC_RUNS ?? 300) },
    );
  });

  it("gives the same numbers with per-SLO bucket aggregates, across writes and instants", () => {
    const dense = withStages(
      arbitraryAttempt({
        startSpanMs: 12 * DAY,
        duration: fc.oneof(
          fc.integer({ min: 0, max: 3 * HOUR }),
          fc.integer({ min: 0, max: 2 * DAY }),
        ),
        idCount: 90,
      }),
    );
    const instant = fc.integer({ min: 0, max: 16 * DAY });
    fc.assert(
      fc.property(
        slo,
        fc.constantFrom(HOUR, 6 * HOUR, DAY),
        fc.array(
          fc.record({
            add: fc.array(dense, { maxLength: 40 }),
            at: fc.array(instant, { minLength: 1, maxLength: 4 }),
          }),
          {
            minLength: 1,
            maxLength: 4,
          },
        ),
        (s, bucketMs, steps) => {
          // One table keeps its aggregates across every step, as the service's view does.
          const tables = AttemptTables.forSlos([s], { bucketMs });
          const latest = new Map<string, Attempt>();
          for (const step of steps) {
            for (const a of step.add) {
              tables.add(a);
              latest.set(a.id, a);
            }
            for (const offset of step.at) {
              const at = T0 + offset;
              const status = evaluateSlo(s, tables, at);
              const expected = reference(s, [...latest.values()], at);
              expect(observed(status)).toEqual(expected);
            }
          }
        },
      ),
      { numRuns: Number(process.env.FC_RUNS ?? 300) },
    );
  });
});
