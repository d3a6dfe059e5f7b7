import { nearestRank } from "../primitives/percentile.js";
import type { CanaryAnalysis } from "./pipeline.js";

/** One probe request's answer: good when it answered as the serving probe expects. */
export interface ProbeSample {
  readonly ok: boolean;
  readonly ms: number;
  /** Why it was not good. */
  readonly problem: string | null;
}

/** The probe requests to one version at one step. */
export interface VersionSummary {
  readonly requests: number;
  readonly errors: number;
  readonly errorRate: number;
  /** Nearest-rank p95 of the good answers' latencies; null when none was good. */
  readonly p95Ms: number | null;
  /** The last failed request's problem, to say what went wrong. */
  readonly lastProblem: string | null;
}

export interface CanaryStep {
  /** Percent of traffic on the new version. */
  readonly weight: number;
  readonly canary: VersionSummary;
  readonly baseline: VersionSummary | null;
  readonly passed: boolean;
  /** Why it failed, one line per broken threshold; empty when it passed. */
  readonly reasons: readonly string[];
}

export function summarizeSamples(samples: readonly ProbeSample[]): VersionSummary {
  const good = samples.filter((s) => s.ok).map((s) => s.ms);
  good.sort((a, b) => a - b);
  const failed = samples.filter((s) => !s.ok);
  const p95 = nearestRank(good, good.length, 95);
  return {
    requests: samples.length,
    errors: failed.length,
    errorRate: samples.length === 0 ? 0 : failed.length / samples.length,
    p95Ms: p95 === undefined ? null : Math.round(p95 * 1000) / 1000,
    lastProblem: failed.at(-1)?.problem ?? null,
  };
}

const percent = (ratio: number) => `${Math.round(ratio * 1000) / 10}%`;
const ms = (value: number) => `${Math.round(value)} ms`;

function latencyReasons(
  canary: VersionSummary,
  baseline: VersionSummary | null,
  analysis: CanaryAnalysis,
): string[] {
  const reasons: string[] = [];
  const p95 = canary.p95Ms;
  if (p95 === null) return reasons;
  if (analysis.maxP95Ms !== null && p95 > analysis.maxP95Ms)
    reasons.push(`p95 latency ${ms(p95)} is above the maximum of ${ms(analysis.maxP95Ms)}`);
  const old = baseline?.p95Ms ?? null;
  if (analysis.maxP95Ratio !== null && old !== null) {
    const slower = p95 > old * analysis.maxP95Ratio && p95 - old >= analysis.minP95DifferenceMs;
    if (slower)
      reasons.push(
        `p95 latency ${ms(p95)} is ${(p95 / Math.max(old, 0.001)).toFixed(1)}× the old version's ${ms(old)} (at most ${analysis.maxP95Ratio}×)`,
      );
  }
  return reasons;
}

/**
 * Judges one step: the new version fails it when too many of its probe requests failed, or its
 * p95 is above the maximum, or (with a baseline) slower than the old version by more than the
 * allowed ratio and by at least `minP95DifferenceMs`. The old version's own errors never fail
 * the new one: they are shown for comparison.
 */
export function judgeCanaryStep(
  weight: number,
  canary: VersionSummary,
  baseline: VersionSummary | null,
  analysis: CanaryAnalysis,
): CanaryStep {
  const reasons: string[] = [];
  if (canary.requests === 0) reasons.push("no probe request was answered before the step ended");
  else if (canary.errorRate > analysis.maxErrorRate) {
    const last = canary.lastProblem === null ? "" : `; last: ${canary.lastProblem}`;
    reasons.push(
      `error rate ${percent(canary.errorRate)} (${canary.errors} of ${canary.requests}) is above ${percent(analysis.maxErrorRate)}${last}`,
    );
  }
  reasons.push(...latencyReasons(canary, baseline, analysis));
  return { weight, canary, baseline, passed: reasons.length === 0, reasons };
}
