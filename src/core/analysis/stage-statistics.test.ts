import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { makeAttempt, makeStage, SECOND, T0 } from "../../../test/support/make-attempt.js";
import { stageStatistics } from "./stage-statistics.js";

function attempt(provision: number, pull: number) {
  const start = T0;
  const provisionEnd = start + provision * SECOND;
  const pullEnd = provisionEnd + pull * SECOND;
  return makeAttempt({
    startedAt: start,
    servingAt: pullEnd,
    endedAt: pullEnd,
    stages: [
      makeStage({ name: "provision", startedAt: start, endedAt: provisionEnd }),
      makeStage({ name: "stage-artifacts", startedAt: provisionEnd, endedAt: pullEnd }),
    ],
  });
}

describe("stageStatistics", () => {
  it("gives per-stage percentiles and attributes the tail to the stage that grew", () => {
    // 19 typical attempts (10 s + 20 s) and one slow one whose artifact pull took 300 s.
    const attempts = [...Array.from({ length: 19 }, () => attempt(10, 20)), attempt(12, 300)];
    const stats = stageStatistics(attempts);
    expect(stats.attempts).toBe(20);
    expect(stats.slowFrom).toBe(30);
    expect(stats.slowAttempts).toBe(20);
    const pull = stats.stages.find((stage) => stage.stage === "stage-artifacts");
    expect(pull?.p50).toBe(20);
    expect(pull?.p99).toBe(300);
    expect(stats.stages.map((stage) => stage.stage)).toEqual(["provision", "stage-artifacts"]);

    const skewed = stageStatistics([
      ...Array.from({ length: 30 }, () => attempt(10, 20)),
      attempt(12, 300),
      attempt(11, 400),
    ]);
    expect(skewed.slowFrom).toBe(312);
    expect(skewed.slowAttempts).toBe(2);
    const share = skewed.stages.find((stage) => stage.stage === "stage-artifacts")?.share;
    expect(share).toBeGreaterThan(0.99);
    expect(skewed.stages.find((stage) => stage.stage === "stage-artifacts")?.extraSeconds).toBe(
      330,
    );
  });

  it("has no tail without served attempts", () => {
    const stats = stageStatistics([makeAttempt({ outcome: "failed", endedAt: T0 + SECOND })]);
    expect(stats.slowFrom).toBeNull();
    expect(stats.deploymentExtraSeconds).toBeNull();
  });

  it("keeps p50 ≤ p95 ≤ p99 and shares summing to 1", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 600 }), fc.integer({ min: 0, max: 600 })), {
          minLength: 1,
          maxLength: 60,
        }),
        (pairs) => {
          const stats = stageStatistics(pairs.map(([a, b]) => attempt(a, b)));
          for (const stage of stats.stages) {
            expect(stage.p50 ?? 0).toBeLessThanOrEqual(stage.p95 ?? 0);
            expect(stage.p95 ?? 0).toBeLessThanOrEqual(stage.p99 ?? 0);
            if (stage.share !== null) expect(stage.share).toBeGreaterThanOrEqual(0);
          }
          const shares = stats.stages.map((stage) => stage.share);
          if (shares.every((share) => share !== null)) {
            const sum = shares.reduce<number>((total, share) => total + (share ?? 0), 0);
            expect(sum).toBeCloseTo(1, 9);
          }
          // Stages run back to back here, so their extras add up to the deployment's extra.
          const extras = stats.stages.reduce(
            (total, stage) => total + (stage.extraSeconds ?? 0),
            0,
          );
          expect(extras).toBeCloseTo(stats.deploymentExtraSeconds ?? 0, 6);
        },
      ),
    );
  });
});
