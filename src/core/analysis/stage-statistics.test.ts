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
          }
          const shares = [...stats.stages, stats.betweenStages].map((stage) => stage.share);
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

  it("shows a stage that runs after servingAt but never blames it", () => {
    // The canary starts when the model serves; in slow attempts it runs far longer.
    const withCanary = (provision: number, canary: number) => {
      const servingAt = T0 + provision * SECOND;
      return makeAttempt({
        startedAt: T0,
        servingAt,
        endedAt: servingAt + canary * SECOND,
        stages: [
          makeStage({ name: "provision", startedAt: T0, endedAt: servingAt }),
          makeStage({ name: "canary", startedAt: servingAt, endedAt: servingAt + canary * SECOND }),
          makeStage({
            name: "shift-traffic",
            startedAt: servingAt - 5 * SECOND,
            endedAt: servingAt + SECOND,
          }),
        ],
      });
    };
    const stats = stageStatistics([
      ...Array.from({ length: 30 }, () => withCanary(20, 60)),
      withCanary(200, 900),
      withCanary(220, 1200),
    ]);
    const canary = stats.stages.find((stage) => stage.stage === "canary");
    expect(canary?.runs).toBe(32);
    expect(canary?.runsAfterEndPoint).toBe(32);
    expect(canary?.p99).toBe(1200);
    const shift = stats.stages.find((stage) => stage.stage === "shift-traffic");
    expect(shift?.runsPastEndPoint).toBe(32);
    expect(shift?.extraSeconds).toBe(0);
    expect(canary?.extraSeconds).toBe(0);
    expect(canary?.share).toBe(0);
    expect(stats.stages.find((stage) => stage.stage === "provision")?.share).toBe(1);
  });

  it("splits exactly the deployment's extra time, and nothing after servingAt", () => {
    const stage = fc.record({
      from: fc.integer({ min: -5, max: 400 }),
      length: fc.integer({ min: 0, max: 300 }),
      running: fc.boolean(),
    });
    const attemptArb = fc.record({
      served: fc.integer({ min: 0, max: 400 }),
      stages: fc.array(stage, { maxLength: 6 }),
    });
    fc.assert(
      fc.property(
        fc.array(attemptArb, { minLength: 1, maxLength: 40 }),
        fc.nat(),
        (specs, seed) => {
          const build = (stretchAfter: number) =>
            specs.map(({ served, stages }) => {
              const servingAt = T0 + served * SECOND;
              return makeAttempt({
                startedAt: T0,
                servingAt,
                endedAt: servingAt,
                stages: stages.map(({ from, length, running }, i) => {
                  const startedAt = T0 + from * SECOND;
                  // Whatever starts at or after servingAt changes between the two runs.
                  const stretch = startedAt >= servingAt ? stretchAfter : 0;
                  return makeStage({
                    name: `s${i % 3}`,
                    startedAt,
                    endedAt: running ? null : startedAt + (length + stretch) * SECOND,
                  });
                }),
              });
            });
          const stats = stageStatistics(build(0));
          if (stats.deploymentExtraSeconds === null) return;
          const parts = [...stats.stages, stats.betweenStages];
          const extras = parts.reduce((total, part) => total + (part.extraSeconds ?? 0), 0);
          expect(extras).toBeCloseTo(stats.deploymentExtraSeconds, 6);
          if (stats.deploymentExtraSeconds !== 0) {
            const shares = parts.reduce((total, part) => total + (part.share ?? 0), 0);
            expect(shares).toBeCloseTo(1, 6);
          }
          const stretched = stageStatistics(build((seed % 500) + 1));
          expect(stretched.stages.map((s) => s.extraSeconds)).toEqual(
            stats.stages.map((s) => s.extraSeconds),
          );
          expect(stretched.betweenStages).toEqual(stats.betweenStages);
        },
      ),
    );
  });
});
