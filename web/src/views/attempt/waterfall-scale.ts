import type { AttemptTrace } from "../../api-types.js";

/** Tick spacing (seconds) giving at most 7 ticks over `span`. */
export function tickStep(span: number): number {
  const steps = [
    0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14_400, 21_600,
    43_200, 86_400,
  ];
  return steps.find((step) => span / step <= 7) ?? 86_400;
}

export interface WaterfallScale {
  /** Epoch ms of the attempt's start: offset 0 on the axis. */
  readonly start: number;
  /** The axis length in seconds: the attempt and 5 %, rounded up to a tick. */
  readonly span: number;
  readonly ticks: readonly number[];
  /** Where each stage ends on the axis (seconds); a running stage ends at `now`. */
  readonly stageEnds: readonly number[];
  /** The tightest threshold among the SLOs selecting the attempt, and whether the axis holds it. */
  readonly threshold: number | null;
  readonly thresholdShown: boolean;
}

/**
 * The time axis of an attempt's waterfall: it fits the attempt (its stages, servingAt and end;
 * up to `now` while it runs), never a threshold far beyond it, so a 2.5 s attempt is drawn over
 * 0–3 s, not 0–8 s. Display only: no number here is an SLO figure.
 */
export function waterfallScale(trace: AttemptTrace, now: number): WaterfallScale {
  const attempt = trace.attempt;
  const start = Date.parse(attempt.startedAt);
  const running = attempt.outcome === "in_progress";
  const stageEnds = (attempt.stages ?? []).map((stage) => {
    if (stage.endedAt !== undefined) return (Date.parse(stage.endedAt) - start) / 1000;
    const from = (Date.parse(stage.startedAt) - start) / 1000;
    return running ? Math.max(from, (now - start) / 1000) : from;
  });
  const marks = [
    ...stageEnds,
    attempt.servingAt === undefined ? 0 : (Date.parse(attempt.servingAt) - start) / 1000,
    attempt.endedAt === undefined ? 0 : (Date.parse(attempt.endedAt) - start) / 1000,
  ];
  // A little room on the right for the last bar's duration label.
  const last = Math.max(0.1, ...marks) * 1.05;
  const step = tickStep(last);
  const span = Math.ceil(last / step - 1e-9) * step;
  const ticks = Array.from({ length: Math.round(span / step) + 1 }, (_, i) => round(i * step));
  const threshold =
    trace.slos.length === 0 ? null : Math.min(...trace.slos.map((s) => s.thresholdSeconds));
  return {
    start,
    span,
    ticks,
    stageEnds,
    threshold,
    thresholdShown: threshold !== null && threshold <= span,
  };
}

function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}
