import { formatDuration } from "../primitives/duration.js";
import type { Slo, SloWindow } from "../spec/slo.js";
import { burnLookbacks } from "./burn-lookbacks.js";

const DAY_MS = 86_400_000;

/** Added to the default retention for clocks a little apart between replicas and writers. */
export const RETENTION_MARGIN_MS = DAY_MS;

/** How far back an SLO's evaluation as of `at` reads, and why. */
export interface RetentionReach {
  readonly slo: string;
  /** The window's longest span: rolling W, a calendar month as 31 days, a week as 7. */
  readonly windowMs: number;
  /**
   * The longest span read besides the window: the burn-rate lookbacks of its status and alert
   * rules, and the baseline of a dependency SLO's drift ticket. The alert evaluator also looks
   * at instants up to this far back, each with a whole window behind it.
   */
  readonly lookbackMs: number;
  /** windowMs + lookbackMs: what retention may never be shorter than. */
  readonly ms: number;
}

/** The longest span a window covers: calendar months and weeks at their longest. */
export function windowReachMs(window: SloWindow): number {
  if (window.kind === "rolling") return window.ms;
  return window.unit === "month" ? 31 * DAY_MS : 7 * DAY_MS;
}

export function retentionReach(slo: Slo): RetentionReach {
  const windowMs = windowReachMs(slo.window);
  const lookbackMs = Math.max(
    ...burnLookbacks(slo).map((lookback) => lookback.ms),
    slo.alerting.baseline?.baselineMs ?? 0,
  );
  return { slo: slo.name, windowMs, lookbackMs, ms: windowMs + lookbackMs };
}

/** The SLO that reads furthest back (the first of equals); undefined without SLOs. */
export function longestRetentionReach(slos: readonly Slo[]): RetentionReach | undefined {
  let longest: RetentionReach | undefined;
  for (const slo of slos) {
    const reach = retentionReach(slo);
    if (longest === undefined || reach.ms > longest.ms) longest = reach;
  }
  return longest;
}

/**
 * The retention when none is configured: for each SLO two windows and its lookback, so that
 * the history chart (one window back from now, each point with its own window) stays exact
 * too, plus RETENTION_MARGIN_MS; the longest of these. Undefined without SLOs: nothing is
 * deleted then.
 */
export function defaultRetentionMs(slos: readonly Slo[]): number | undefined {
  let longest: number | undefined;
  for (const slo of slos) {
    const reach = retentionReach(slo);
    const ms = 2 * reach.windowMs + reach.lookbackMs + RETENTION_MARGIN_MS;
    if (longest === undefined || ms > longest) longest = ms;
  }
  return longest;
}

/**
 * Why `retainMs` is too short for these SLOs, naming the SLO, its window and lookback, and
 * the shortest retention that would do; undefined when it is long enough.
 */
export function retentionProblem(retainMs: number, slos: readonly Slo[]): string | undefined {
  const longest = longestRetentionReach(slos);
  if (longest === undefined || retainMs >= longest.ms) return undefined;
  const slo = slos.find((candidate) => candidate.name === longest.slo);
  const where = slo === undefined ? "" : ` (${slo.source.file}:${slo.source.line})`;
  return `retention ${formatDuration(retainMs)} is shorter than what SLO "${longest.slo}"${where} reads: its window (${formatDuration(longest.windowMs)}) plus its longest lookback (${formatDuration(longest.lookbackMs)}) = ${formatDuration(longest.ms)}; retain at least ${formatDuration(longest.ms)}`;
}
