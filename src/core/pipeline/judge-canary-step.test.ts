import { describe, expect, it } from "vitest";
import { judgeCanaryStep, type ProbeSample, summarizeSamples } from "./judge-canary-step.js";
import type { CanaryAnalysis } from "./pipeline.js";

const ANALYSIS: CanaryAnalysis = {
  maxErrorRate: 0.05,
  maxP95Ms: 500,
  maxP95Ratio: 1.5,
  minP95DifferenceMs: 20,
};

const good = (ms: number): ProbeSample => ({ ok: true, ms, problem: null });
const bad = (problem: string): ProbeSample => ({ ok: false, ms: 3, problem });
const many = (n: number, f: (i: number) => ProbeSample) =>
  Array.from({ length: n }, (_, i) => f(i));

describe("summarizeSamples", () => {
  it("counts errors and takes the nearest-rank p95 of the good answers only", () => {
    const samples = [...many(19, (i) => good(i + 1)), bad("status 500")];
    const summary = summarizeSamples(samples);
    expect(summary).toEqual({
      requests: 20,
      errors: 1,
      errorRate: 0.05,
      p95Ms: 19, // rank ⌈0.95·19⌉ = 19 of 1..19
      lastProblem: "status 500",
    });
  });

  it("has no p95 when nothing answered well", () => {
    expect(summarizeSamples([bad("x"), bad("y")]).p95Ms).toBeNull();
    expect(summarizeSamples([]).errorRate).toBe(0);
  });
});

describe("judgeCanaryStep", () => {
  const fast = summarizeSamples(many(20, () => good(10)));

  it("passes a version as good as the old one", () => {
    const step = judgeCanaryStep(10, fast, fast, ANALYSIS);
    expect(step).toMatchObject({ weight: 10, passed: true, reasons: [] });
  });

  it("fails on the error rate, saying how many and the last problem", () => {
    const canary = summarizeSamples([...many(18, () => good(10)), bad("a"), bad("status 500")]);
    const step = judgeCanaryStep(50, canary, fast, ANALYSIS);
    expect(step.passed).toBe(false);
    expect(step.reasons).toEqual(["error rate 10% (2 of 20) is above 5%; last: status 500"]);
  });

  it("allows errors up to the maximum rate exactly", () => {
    const canary = summarizeSamples([...many(19, () => good(10)), bad("a")]);
    expect(judgeCanaryStep(50, canary, fast, ANALYSIS).passed).toBe(true);
  });

  it("fails on an absolute p95 and on a p95 slower than the old version's", () => {
    const slow = summarizeSamples(many(20, () => good(600)));
    const step = judgeCanaryStep(10, slow, fast, ANALYSIS);
    expect(step.reasons).toEqual([
      "p95 latency 600 ms is above the maximum of 500 ms",
      "p95 latency 600 ms is 60.0× the old version's 10 ms (at most 1.5×)",
    ]);
  });

  it("does not judge tiny latency differences, nor the ratio without a baseline", () => {
    const bitSlower = summarizeSamples(many(20, () => good(25)));
    expect(judgeCanaryStep(10, bitSlower, fast, ANALYSIS).passed).toBe(true);
    const slower = summarizeSamples(many(20, () => good(100)));
    expect(judgeCanaryStep(10, slower, fast, ANALYSIS).passed).toBe(false);
    expect(judgeCanaryStep(10, slower, null, ANALYSIS).passed).toBe(true);
  });

  it("never fails the new version for the old one's errors", () => {
    const oldFailing = summarizeSamples(many(20, () => bad("down")));
    expect(judgeCanaryStep(10, fast, oldFailing, ANALYSIS).passed).toBe(true);
  });

  it("fails a step in which no request was sent", () => {
    expect(judgeCanaryStep(10, summarizeSamples([]), null, ANALYSIS).reasons).toEqual([
      "no probe request was answered before the step ended",
    ]);
  });
});
