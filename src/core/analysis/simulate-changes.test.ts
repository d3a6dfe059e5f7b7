import { describe, expect, it } from "vitest";
import { generatedAttempts, HISTORY_START } from "../../../test/support/generated-attempts.js";
import { makeAttempt, makeStage, SECOND, T0 } from "../../../test/support/make-attempt.js";
import { seededRandom } from "../../sample/seeded-random.js";
import type { Attempt } from "../attempt/attempt.js";
import { backtest, type Estimate, simulateChanges } from "./simulate-changes.js";
import { parseChange, replayDurationMs, type WhatIfChange } from "./what-if-change.js";

const MINUTE = 60_000;
const staging = (attempts: Attempt[]) => attempts.filter((a) => a.environment === "staging");

function change(text: string): WhatIfChange {
  const parsed = parseChange(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.change;
}

function inside(estimate: Estimate, value: number | null): boolean {
  return (
    value !== null &&
    estimate.low !== null &&
    estimate.high !== null &&
    value >= estimate.low &&
    value <= estimate.high
  );
}

describe("parseChange", () => {
  it("reads scale and parallel changes, and says what is wrong", () => {
    expect(change("stage:stage-artifacts*0.5")).toEqual({
      kind: "scale",
      stage: "stage-artifacts",
      factor: 0.5,
    });
    expect(change("parallel:validate,stage-artifacts")).toEqual({
      kind: "parallel",
      stages: ["validate", "stage-artifacts"],
    });
    expect(parseChange("stage:x/2")).toMatchObject({ ok: false });
    expect(parseChange("parallel:validate")).toMatchObject({ ok: false });
    expect(parseChange("parallel:a,a")).toMatchObject({ ok: false });
  });
});

describe("replayDurationMs", () => {
  it("reproduces every recorded duration when nothing changes", () => {
    for (const attempt of generatedAttempts({ seed: 3, days: 10 })) {
      const replayed = replayDurationMs(attempt, []);
      expect(replayed).toBe(
        attempt.servingAt === null ? null : attempt.servingAt - attempt.startedAt,
      );
    }
  });

  it("predicts, attempt by attempt, a history generated with a stage halved", () => {
    // The same seed draws the same numbers: only the halving differs, so the replay of each
    // attempt must land where the generator put it (within the generator's own millisecond
    // rounding and the rare attempt whose outcome the change moved).
    const before = generatedAttempts({ seed: 3, days: 10 });
    const after = generatedAttempts({ seed: 3, days: 10, stageFactors: { "health-check": 0.5 } });
    let exact = 0;
    let compared = 0;
    after.forEach((actual, i) => {
      const original = before[i];
      if (original === undefined || actual.servingAt === null || original.servingAt === null)
        return;
      compared++;
      const predicted = replayDurationMs(original, [change("stage:health-check*0.5")]);
      if (Math.abs((predicted ?? 0) - (actual.servingAt - actual.startedAt)) <= 2) exact++;
    });
    expect(compared).toBeGreaterThan(200);
    expect(exact / compared).toBeGreaterThan(0.97);
  });

  it("starts parallel stages together and keeps waiting for the rest", () => {
    // validate 0–10 s, gap 1 s, stage-artifacts 11–41 s ∥ provision 11–21 s, gap 2 s,
    // health-check 43–53 s, first inference at 55 s inside shift-traffic (53–56 s).
    const stage = (name: string, from: number, to: number) =>
      makeStage({ name, startedAt: T0 + from * SECOND, endedAt: T0 + to * SECOND });
    const attempt = makeAttempt({
      startedAt: T0,
      servingAt: T0 + 55 * SECOND,
      endedAt: T0 + 56 * SECOND,
      stages: [
        stage("validate", 0, 10),
        stage("stage-artifacts", 11, 41),
        stage("provision", 11, 21),
        stage("health-check", 43, 53),
        stage("shift-traffic", 53, 56),
      ],
    });
    expect(replayDurationMs(attempt, [])).toBe(55 * SECOND);
    // Artifacts start with validate at 0 and end at 30; provision still waits for validate (ends
    // 21); health-check waits for the later of them (30) plus its 2 s gap: 11 s earlier.
    expect(replayDurationMs(attempt, [change("parallel:validate,stage-artifacts")])).toBe(
      44 * SECOND,
    );
    // Halving artifacts (11–26): provision (21) is not the last any more, artifacts is: 15 s.
    expect(replayDurationMs(attempt, [change("stage:stage-artifacts*0.5")])).toBe(40 * SECOND);
    // Halving provision changes nothing: it was not on the critical path.
    expect(replayDurationMs(attempt, [change("stage:provision*0.5")])).toBe(55 * SECOND);
    // The first inference falls inside shift-traffic: halving it moves it by half its 2 s there.
    expect(replayDurationMs(attempt, [change("stage:shift-traffic*0.5")])).toBe(54 * SECOND);
  });
});

describe("simulateChanges", () => {
  it("predicts, within its interval, what a history generated with the stage halved shows", () => {
    // Different seeds: the prediction from one history must cover another history, generated
    // with the stage halved, which differs by chance as well as by the change. The interval is
    // 90%, so a few misses are expected; across 6 pairs × 2 stages × 3 figures, at least 80%
    // must fall inside (measured: 35 of 36).
    let checks = 0;
    let hits = 0;
    for (let pair = 0; pair < 6; pair++) {
      const history = staging(generatedAttempts({ seed: 100 + 2 * pair, days: 20 }));
      for (const stage of ["stage-artifacts", "health-check"] as const) {
        const halved = staging(
          generatedAttempts({ seed: 101 + 2 * pair, days: 20, stageFactors: { [stage]: 0.5 } }),
        );
        const result = simulateChanges({
          attempts: history,
          changes: [change(`stage:${stage}*0.5`)],
          thresholdMs: 2 * MINUTE,
          resamples: 200,
          random: seededRandom(pair),
        });
        const actual = simulateChanges({
          attempts: halved,
          changes: [],
          thresholdMs: 2 * MINUTE,
          resamples: 1,
          random: seededRandom(1),
        }).before;
        for (const [estimate, value] of [
          [result.predicted.p50, actual.durations.p50],
          [result.predicted.p95, actual.durations.p95],
          [result.predicted.compliance, actual.compliance],
        ] as const) {
          checks++;
          if (inside(estimate, value)) hits++;
        }
      }
    }
    expect(hits / checks).toBeGreaterThanOrEqual(0.8);
  });

  it("with the same draws, the changed history is the one generated with the stage halved", () => {
    const halvedByReplay = simulateChanges({
      attempts: staging(generatedAttempts({ seed: 21 })),
      changes: [change("stage:health-check*0.5")],
      thresholdMs: 2 * MINUTE,
      resamples: 1,
      random: seededRandom(1),
    }).after;
    const generated = simulateChanges({
      attempts: staging(generatedAttempts({ seed: 21, stageFactors: { "health-check": 0.5 } })),
      changes: [],
      thresholdMs: 2 * MINUTE,
      resamples: 1,
      random: seededRandom(1),
    }).before;
    expect(halvedByReplay.durations.p50).toBeCloseTo(generated.durations.p50 ?? 0, 0);
    expect(halvedByReplay.durations.p95).toBeCloseTo(generated.durations.p95 ?? 0, 0);
    expect(Math.abs((halvedByReplay.compliance ?? 0) - (generated.compliance ?? 0))).toBeLessThan(
      0.01,
    );
  });

  it("is reproducible with the same seed", () => {
    const attempts = staging(generatedAttempts({ seed: 21, days: 10 }));
    const run = () =>
      simulateChanges({
        attempts,
        changes: [change("stage:provision*0.5")],
        thresholdMs: 2 * MINUTE,
        resamples: 100,
        random: seededRandom(9),
      });
    expect(run()).toEqual(run());
  });
});

describe("backtest", () => {
  it("predicts a held-out period from an earlier one", () => {
    const attempts = staging(generatedAttempts({ seed: 21, days: 40 }));
    const result = backtest({
      attempts,
      splitAt: HISTORY_START + 20 * 86_400_000,
      thresholdMs: 2 * MINUTE,
      resamples: 400,
      random: seededRandom(2),
    });
    expect(result.earlier.attempts).toBeGreaterThan(100);
    expect(result.inside).toEqual({ p50: true, p95: true, p99: true, compliance: true });
  });
});
