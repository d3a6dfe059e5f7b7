import { describe, expect, it } from "vitest";
import { makeAttempt, makeStage, SECOND, T0 } from "../../../test/support/make-attempt.js";
import type { Attempt } from "../attempt/attempt.js";
import type { StageBudget } from "../spec/slo.js";
import { stageBudgetOverruns } from "./stage-budget-overruns.js";

const MINUTE = 60 * SECOND;
const AT = T0 + 1000 * MINUTE;

/**
 * validate (30s) → security-scan (60s, or 150s in the attempts `slowScan` picks) → deploy
 * (60s), one after another, then serving: 150s, or 240s with the slow scan.
 */
function sequential(index: number, slowScan: boolean): Attempt {
  const start = T0 + index * 10 * MINUTE;
  const scan = slowScan ? 150 * SECOND : 60 * SECOND;
  const spans: [string, number][] = [
    ["validate", 30 * SECOND],
    ["security-scan", scan],
    ["deploy", 60 * SECOND],
  ];
  let at = start;
  const stages = spans.map(([name, ms]) => {
    const stage = makeStage({ name, startedAt: at, endedAt: at + ms });
    at += ms;
    return stage;
  });
  return makeAttempt({ startedAt: start, stages, servingAt: at, endedAt: at + SECOND });
}

const budgets: StageBudget[] = [
  { stage: "security-scan", budgetMs: 90 * SECOND },
  { stage: "validate", budgetMs: 45 * SECOND },
  { stage: "deploy", budgetMs: 2 * MINUTE },
];

describe("stageBudgetOverruns", () => {
  // Three attempts in ten have the slow scan, which alone takes them past the 3 m threshold.
  const attempts = Array.from({ length: 100 }, (_, i) => sequential(i, i % 10 < 3));
  const result = stageBudgetOverruns({ attempts, budgets, thresholdMs: 3 * MINUTE, at: AT });

  it("reports the stage made to overrun in 30% of the attempts at 30%, and only it", () => {
    expect(result.eligible).toBe(100);
    expect(result.breaching).toBe(30);
    const [scan, validate, deploy] = result.stages;
    expect(scan).toEqual({
      stage: "security-scan",
      budgetSeconds: 90,
      attempts: 100,
      overran: 30,
      overrunRate: 0.3,
      p50: 60,
      p95: 150,
      p50OfBudget: 60 / 90,
      p95OfBudget: 150 / 90,
      overrunSeconds: 30 * 60,
      breachingWithOverrun: 30,
      breachingShare: 1,
    });
    expect(validate?.overran).toBe(0);
    expect(validate?.breachingShare).toBe(0);
    expect(deploy?.overrunRate).toBe(0);
  });

  it("keeps the spec's order and adds the budgets up", () => {
    expect(result.stages.map((s) => s.stage)).toEqual(["security-scan", "validate", "deploy"]);
    expect(result.budgetSumSeconds).toBe(90 + 45 + 120);
    expect(result.thresholdSeconds).toBe(180);
    // Sequential stages: all three are on every critical path, 255 s of budget against 180 s.
    expect(result.criticalPath).toEqual({
      stages: ["security-scan", "validate", "deploy"],
      budgetSeconds: 255,
      attempts: 100,
      exceedsThreshold: true,
    });
  });

  it("counts only attempts the verdict rule judges, and stage runs that ended", () => {
    const running = makeAttempt({
      startedAt: AT - SECOND,
      stages: [makeStage({ name: "security-scan", startedAt: AT - SECOND })],
    });
    const failed = makeAttempt({
      startedAt: T0,
      outcome: "failed",
      endedAt: T0 + 200 * SECOND,
      stages: [
        makeStage({ name: "validate", startedAt: T0, endedAt: T0 + 100 * SECOND }),
        makeStage({
          name: "security-scan",
          startedAt: T0 + 100 * SECOND,
          endedAt: null,
          status: "skipped",
        }),
      ],
    });
    const r = stageBudgetOverruns({
      attempts: [running, failed],
      budgets,
      thresholdMs: 3 * MINUTE,
      at: AT,
    });
    expect(r.eligible).toBe(1);
    expect(r.breaching).toBe(1);
    expect(r.stages[0]).toMatchObject({ stage: "security-scan", attempts: 0, overrunRate: null });
    expect(r.stages[1]).toMatchObject({
      stage: "validate",
      attempts: 1,
      overran: 1,
      overrunSeconds: 55,
      breachingWithOverrun: 1,
      breachingShare: 1,
    });
  });

  it("adds up a stage's retries, and takes the longer of two parallel stages as on the path", () => {
    const parallel = (i: number) => {
      const start = T0 + i * 10 * MINUTE;
      return makeAttempt({
        startedAt: start,
        servingAt: start + 100 * SECOND,
        endedAt: start + 100 * SECOND,
        stages: [
          makeStage({ name: "artifacts", startedAt: start, endedAt: start + 40 * SECOND }),
          makeStage({
            name: "artifacts",
            startedAt: start + 40 * SECOND,
            endedAt: start + 80 * SECOND,
          }),
          makeStage({ name: "provision", startedAt: start, endedAt: start + 100 * SECOND }),
        ],
      });
    };
    const r = stageBudgetOverruns({
      attempts: [parallel(0), parallel(1)],
      budgets: [
        { stage: "artifacts", budgetMs: 70 * SECOND },
        { stage: "provision", budgetMs: 2 * MINUTE },
      ],
      thresholdMs: 3 * MINUTE,
      at: AT,
    });
    expect(r.stages[0]).toMatchObject({ overran: 2, p50: 80, overrunSeconds: 20 });
    expect(r.budgetSumSeconds).toBe(190);
    expect(r.criticalPath).toEqual({
      stages: ["provision"],
      budgetSeconds: 120,
      attempts: 2,
      exceedsThreshold: false,
    });
  });
});
