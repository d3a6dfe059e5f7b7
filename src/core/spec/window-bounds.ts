import type { SloWindow } from "./slo.js";

const DAY_MS = 86_400_000;

/** Where an SLO window lies as of `at`. All values are epoch milliseconds. */
export interface WindowBounds {
  /** Rolling: at − W (exclusive). Calendar: the period's first instant (inclusive). */
  readonly start: number;
  readonly end: number;
  /** Verdicts count when `verdictAfter < verdictAt ≤ end`. */
  readonly verdictAfter: number;
  /** Length the budget is sized on: W, or the whole calendar period. */
  readonly lengthMs: number;
  /** Calendar windows: when the current period ends (exclusive); null for rolling ones. */
  readonly periodEnd: number | null;
}

/**
 * The window of an SLO as of `at`: rolling W counts (at − W, at]; calendar counts
 * [start of the UTC month or week (Monday), at].
 */
export function windowBounds(window: SloWindow, at: number): WindowBounds {
  if (window.kind === "rolling") {
    return {
      start: at - window.ms,
      end: at,
      verdictAfter: at - window.ms,
      lengthMs: window.ms,
      periodEnd: null,
    };
  }
  const date = new Date(at);
  let start: number;
  let periodEnd: number;
  if (window.unit === "month") {
    start = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
    periodEnd = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
  } else {
    const sinceMonday = (date.getUTCDay() + 6) % 7;
    start =
      Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()) - sinceMonday * DAY_MS;
    periodEnd = start + 7 * DAY_MS;
  }
  // Times are whole milliseconds, so "after start − 1" is "at or after start".
  return { start, end: at, verdictAfter: start - 1, lengthMs: periodEnd - start, periodEnd };
}
