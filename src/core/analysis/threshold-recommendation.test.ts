import { describe, expect, it } from "vitest";
import { generatedAttempts } from "../../../test/support/generated-attempts.js";
import { makeAttempt, SECOND, T0 } from "../../../test/support/make-attempt.js";
import { parseDecimal } from "../primitives/exact-ratio.js";
import { recommendThreshold, thresholdFit } from "./threshold-recommendation.js";

const AT = T0 + 365 * 86_400_000;

function target(text: string) {
  const value = parseDecimal(text);
  if (value === undefined) throw new Error(text);
  return value;
}

function served(seconds: number, labels: Record<string, string> = {}) {
  return makeAttempt({
    startedAt: T0,
    servingAt: T0 + seconds * SECOND,
    endedAt: T0 + seconds * SECOND,
    labels,
  });
}

describe("recommendThreshold", () => {
  it("finds the threshold a target needs when the answer is known by construction", () => {
    // 95 attempts served in 1..95 s, 5 failed: 90% good needs 90 good, so T = 90 s.
    const attempts = [
      ...Array.from({ length: 95 }, (_, i) => served(i + 1)),
      ...Array.from({ length: 5 }, () =>
        makeAttempt({ startedAt: T0, endedAt: T0 + 10 * SECOND, outcome: "failed" }),
      ),
    ];
    const result = recommendThreshold({ attempts, target: target("0.9"), splits: [], at: AT });
    expect(result.thresholdSeconds).toBe(90);
    expect(result.historicalCompliance).toBe(0.9);
    expect(result.errorBudget).toEqual({
      total: 10,
      consumed: 10,
      remaining: 0,
      remainingRatio: 0,
    });
    expect(result.durations).toEqual({ count: 95, p50: 48, p95: 91, p99: 95, max: 95 });
    // 95% good is out of reach with 5 of 100 failed plus any slow one: T = 95 s gives exactly 95%.
    expect(
      recommendThreshold({ attempts, target: target("0.95"), splits: [], at: AT }).thresholdSeconds,
    ).toBe(95);
    expect(
      recommendThreshold({ attempts, target: target("0.96"), splits: [], at: AT }).thresholdSeconds,
    ).toBeNull();
  });

  it("answers in reverse: the highest target a threshold supports is its compliance", () => {
    const attempts = Array.from({ length: 40 }, (_, i) => served(i + 1));
    const result = recommendThreshold({
      attempts,
      target: target("0.9"),
      thresholdMs: 30 * SECOND,
      splits: [],
      at: AT,
    });
    expect(result.reverse?.highestTarget).toBe(0.75);
    expect(result.reverse?.good).toBe(30);
  });

  it("rounds up to whole seconds and counts in-progress attempts out", () => {
    const attempts = [served(1.2), served(2.5), makeAttempt({ startedAt: T0 })];
    const result = recommendThreshold({ attempts, target: target("0.5"), splits: [], at: AT });
    expect(result.attempts).toBe(2);
    expect(result.thresholdSeconds).toBe(2);
  });

  it("splits by condition, each group with its own threshold", () => {
    const attempts = [
      ...Array.from({ length: 10 }, (_, i) => served(10 + i, { team: "a" })),
      ...Array.from({ length: 10 }, (_, i) => served(100 + i, { team: "b" })),
    ];
    const result = recommendThreshold({
      attempts,
      target: target("0.9"),
      splits: ["label:team"],
      at: AT,
    });
    const groups = result.splits[0]?.groups ?? [];
    expect(groups.map((g) => [g.value, g.thresholdSeconds])).toEqual([
      ["a", 18],
      ["b", 108],
    ]);
  });

  it("on a generated history, is the smallest whole second meeting the target", () => {
    const attempts = generatedAttempts({ seed: 11, days: 20 });
    const result = recommendThreshold({
      attempts,
      target: target("0.8"),
      splits: ["start"],
      at: AT,
    });
    const t = result.thresholdSeconds;
    expect(t).not.toBeNull();
    if (t === null) return;
    const known = attempts.filter((a) => a.outcome !== "in_progress");
    const fit = thresholdFit(known, t * SECOND, AT);
    expect(fit.compliance).toBe(result.historicalCompliance);
    expect((fit.compliance ?? 0) >= 0.8).toBe(true);
    expect((thresholdFit(known, (t - 1) * SECOND, AT).compliance ?? 1) < 0.8).toBe(true);
    // Cold starts are slower by construction (new nodes, nothing cached).
    const [cold, warm] = result.splits[0]?.groups ?? [];
    expect(cold?.value).toBe("cold");
    expect(warm?.value).toBe("warm");
    expect(cold?.durations.p50 ?? 0).toBeGreaterThan(warm?.durations.p50 ?? 0);
    expect(result.dependencyP99SumSeconds).toBeGreaterThan(0);
  });
});
