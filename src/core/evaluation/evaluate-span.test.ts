import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DAY,
  HOUR,
  MINUTE,
  makeAttempt,
  makeSlo,
  makeStage,
  T0,
} from "../../../test/support/make-attempt.js";
import type { Attempt } from "../attempt/attempt.js";
import type { Slo, SpanPoint } from "../spec/slo.js";
import { AttemptTables } from "./attempt-tables.js";
import { evaluateSlo } from "./evaluate-slo.js";
import { indicatorMeasurements } from "./indicator-measurements.js";
import { VerdictSeries } from "./verdict-series.js";

function evaluate(slo: Slo, attempts: readonly Attempt[], at: number) {
  const plain = AttemptTables.forSlos([slo]);
  for (const attempt of attempts) plain.add(attempt);
  return evaluateSlo(slo, plain, at);
}

const span = (from: SpanPoint | null, to: SpanPoint | null): Slo["indicator"] => ({
  kind: "span",
  from,
  to,
});
const APPROVAL_END = { stage: "approval", at: "end" } as const;
const SHIFT_END = { stage: "shift-traffic", at: "end" } as const;

/** An attempt that waits `waitMs` for approval, then works `activeMs` until it serves. */
function approved(startedAt: number, waitMs: number, activeMs: number, cold = false): Attempt {
  const approvedAt = startedAt + waitMs;
  return makeAttempt({
    startedAt,
    servingAt: approvedAt + activeMs,
    endedAt: approvedAt + activeMs,
    stages: [
      makeStage({ name: "approval", startedAt, endedAt: approvedAt, kind: "wait" }),
      makeStage({
        name: "provision",
        startedAt: approvedAt,
        endedAt: approvedAt + activeMs,
        attributes: { coldStart: cold },
      }),
    ],
  });
}

describe("an SLO from the approval's end to the first inference", () => {
  it("excludes the approval wait: good exactly when the work after it is within the threshold", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            wait: fc.integer({ min: 0, max: 6 * HOUR }),
            active: fc.integer({ min: 0, max: 20 * MINUTE }),
          }),
          { minLength: 1, maxLength: 40 },
        ),
        (drawn) => {
          const attempts = drawn.map((d, i) => approved(T0 + i * 8 * HOUR, d.wait, d.active));
          const at = T0 + drawn.length * 8 * HOUR;
          const thresholdMs = 10 * MINUTE;
          const whole = evaluate(makeSlo({ thresholdMs }), attempts, at);
          const fromApproval = evaluate(
            makeSlo({ thresholdMs, indicator: span(APPROVAL_END, null) }),
            attempts,
            at,
          );
          const goodActive = drawn.filter((d) => d.active <= thresholdMs).length;
          const goodWhole = drawn.filter((d) => d.wait + d.active <= thresholdMs).length;
          expect(fromApproval).toMatchObject({ good: goodActive, bad: drawn.length - goodActive });
          expect(whole).toMatchObject({ good: goodWhole, bad: drawn.length - goodWhole });
          const longest = Math.max(...drawn.map((d) => d.active));
          expect(fromApproval.percentiles.max).toBe(longest / 1000);
        },
      ),
      { numRuns: Number(process.env.FC_RUNS ?? 100) },
    );
  });

  it("does not count an attempt until its approval ends, nor one whose approval never did", () => {
    const slo = makeSlo({ thresholdMs: 10 * MINUTE, indicator: span(APPROVAL_END, null) });
    const waiting = makeAttempt({
      startedAt: T0,
      stages: [makeStage({ name: "approval", startedAt: T0, kind: "wait" })],
    });
    const rejected = makeAttempt({
      startedAt: T0,
      outcome: "failed",
      endedAt: T0 + HOUR,
      stages: [
        makeStage({ name: "approval", startedAt: T0, endedAt: T0 + HOUR, status: "failed" }),
      ],
    });
    const noApproval = makeAttempt({ startedAt: T0, servingAt: T0 + MINUTE });
    const status = evaluate(slo, [waiting, rejected, noApproval], T0 + 2 * HOUR);
    expect(status).toMatchObject({ eligible: 0, inProgress: 0 });
    const late = approved(T0, HOUR, 5 * MINUTE);
    expect(evaluate(slo, [late], T0 + 30 * MINUTE)).toMatchObject({ eligible: 0, inProgress: 0 });
    expect(evaluate(slo, [late], T0 + HOUR + MINUTE)).toMatchObject({ eligible: 0, inProgress: 1 });
    expect(evaluate(slo, [late], T0 + 2 * HOUR)).toMatchObject({ good: 1, inProgress: 0 });
  });
});

describe("an SLO to the end of a stage", () => {
  const slo = makeSlo({ thresholdMs: 10 * MINUTE, indicator: span(null, SHIFT_END) });
  const shifting = (fields: Partial<Attempt>, stage: Parameters<typeof makeStage>[0]) =>
    makeAttempt({ startedAt: T0, ...fields, stages: [makeStage(stage)] });

  it("stops the clock at the stage's end, after the first inference", () => {
    const attempt = shifting(
      { servingAt: T0 + 4 * MINUTE, endedAt: T0 + 12 * MINUTE },
      { name: "shift-traffic", startedAt: T0 + 4 * MINUTE, endedAt: T0 + 12 * MINUTE },
    );
    expect(evaluate(makeSlo({ thresholdMs: 10 * MINUTE }), [attempt], T0 + HOUR).good).toBe(1);
    expect(evaluate(slo, [attempt], T0 + HOUR)).toMatchObject({ good: 0, bad: 1 });
    expect(indicatorMeasurements(slo.indicator, attempt)).toEqual([12 * MINUTE]);
  });

  it("counts a stage still running as in progress, bad once past the threshold", () => {
    const attempt = shifting(
      { servingAt: T0 + 4 * MINUTE },
      { name: "shift-traffic", startedAt: T0 + 4 * MINUTE },
    );
    expect(evaluate(slo, [attempt], T0 + 9 * MINUTE)).toMatchObject({
      eligible: 0,
      inProgress: 1,
    });
    expect(evaluate(slo, [attempt], T0 + 11 * MINUTE)).toMatchObject({ bad: 1, inProgress: 1 });
  });

  it("counts a failed attempt that never reached the stage's end as bad, when it ended", () => {
    const attempt = shifting(
      { outcome: "rolled_back", servingAt: T0 + MINUTE, endedAt: T0 + 3 * MINUTE },
      {
        name: "shift-traffic",
        startedAt: T0 + MINUTE,
        endedAt: T0 + 3 * MINUTE,
        status: "failed",
      },
    );
    const series = VerdictSeries.of(slo, [attempt], T0 + HOUR);
    expect([...series.times]).toEqual([T0 + 3 * MINUTE]);
    expect(evaluate(slo, [attempt], T0 + HOUR)).toMatchObject({ bad: 1 });
  });

  it("leaves out an attempt that served without the stage, unless it had crossed the threshold", () => {
    const quick = makeAttempt({ startedAt: T0, servingAt: T0 + 2 * MINUTE });
    const slow = makeAttempt({ startedAt: T0 + HOUR, servingAt: T0 + HOUR + 20 * MINUTE });
    expect(evaluate(slo, [quick, slow], T0 + DAY)).toMatchObject({ good: 0, bad: 1 });
  });
});

describe("selectors on attributes", () => {
  it("hold cold starts to their own SLO: only attempts whose stage says coldStart: true", () => {
    const attempts = [
      approved(T0, 0, 3 * MINUTE, false),
      approved(T0 + HOUR, 0, 12 * MINUTE, true),
      approved(T0 + 2 * HOUR, 0, 8 * MINUTE, true),
      makeAttempt({
        startedAt: T0 + 3 * HOUR,
        servingAt: T0 + 3 * HOUR + 30 * MINUTE,
        attributes: { coldStart: true },
      }),
    ];
    const cold = makeSlo({
      thresholdMs: 10 * MINUTE,
      selector: { environment: null, model: null, labels: {}, attributes: { coldStart: "true" } },
    });
    const warm = { ...cold, selector: { ...cold.selector, attributes: { coldStart: "false" } } };
    expect(evaluate(cold, attempts, T0 + DAY)).toMatchObject({ good: 1, bad: 2 });
    expect(evaluate(warm, attempts, T0 + DAY)).toMatchObject({ good: 1, bad: 0 });
    const both = AttemptTables.forSlos([cold, warm]);
    for (const attempt of attempts) both.add(attempt);
    expect(both.liveSeries().map((series) => series.attributes)).toEqual([
      { coldStart: "false" },
      { coldStart: "true" },
    ]);
  });

  it("match each run of a stage SLO on its own attributes first", () => {
    const run = (start: number, minutes: number, hardware: string) =>
      makeStage({
        name: "provision",
        startedAt: start,
        endedAt: start + minutes * MINUTE,
        status: "failed",
        attributes: { hardware },
      });
    const retried = makeAttempt({
      startedAt: T0,
      outcome: "failed",
      endedAt: T0 + 30 * MINUTE,
      attributes: { hardware: "cpu" },
      stages: [
        run(T0, 12, "nvidia-a100"),
        { ...run(T0 + 12 * MINUTE, 3, "nvidia-t4"), status: "succeeded" },
        { ...run(T0 + 15 * MINUTE, 4, "cpu"), attributes: {} },
      ],
    });
    const on = (hardware: string) =>
      evaluate(
        makeSlo({
          thresholdMs: 10 * MINUTE,
          indicator: { kind: "stage", stage: "provision" },
          selector: { environment: null, model: null, labels: {}, attributes: { hardware } },
        }),
        [retried],
        T0 + HOUR,
      );
    expect(on("nvidia-a100")).toMatchObject({ good: 0, bad: 1 });
    expect(on("nvidia-t4")).toMatchObject({ good: 1, bad: 0 });
    // The last run says nothing: the attempt's own attribute decides.
    expect(on("cpu")).toMatchObject({ good: 0, bad: 1 });
  });
});
