import { SUBJECT, type SubjectOutcome } from "./subject-outcome.js";

export const VERDICT = { none: 0, good: 1, bad: 2, excluded: 3, pending: 4 } as const;
export type VerdictKind = (typeof VERDICT)[keyof typeof VERDICT];

/**
 * What is known about one subject as of an instant. Reused across calls in hot loops:
 * `judge` overwrites every field.
 */
export interface Verdict {
  /** none: started after `at` (or replaced); pending: in progress within the threshold. */
  kind: VerdictKind;
  /** When the verdict became known (good or bad); NaN otherwise. */
  at: number;
  /** Duration of a subject that succeeded as of `at` (ms); NaN otherwise. */
  durationMs: number;
  inProgress: boolean;
  /** The violation interval [violationStart, violationEnd) for excess-time budgets; empty when equal. */
  violationStart: number;
  violationEnd: number;
}

export function emptyVerdict(): Verdict {
  return {
    kind: VERDICT.none,
    at: Number.NaN,
    durationMs: Number.NaN,
    inProgress: false,
    violationStart: 0,
    violationEnd: 0,
  };
}

/**
 * Judges one subject with threshold `t` as of instant `at` (all integer ms), using only
 * what was known at `at`. `stop` is servingAt (or a stage's end when it succeeded), `end`
 * is endedAt; NaN when absent. See docs/semantics.md for the rules and their reasons.
 */
export function judge(
  out: Verdict,
  outcome: SubjectOutcome,
  start: number,
  stop: number,
  end: number,
  t: number,
  at: number,
): Verdict {
  out.at = Number.NaN;
  out.durationMs = Number.NaN;
  out.inProgress = false;
  out.violationStart = 0;
  out.violationEnd = 0;
  if (start > at || outcome === SUBJECT.replaced) {
    out.kind = VERDICT.none;
    return out;
  }
  const deadline = start + t;
  if (outcome === SUBJECT.succeeded && stop <= at) {
    const d = stop - start;
    out.durationMs = d;
    if (d <= t) {
      out.kind = VERDICT.good;
      out.at = stop;
    } else {
      out.kind = VERDICT.bad;
      out.at = deadline;
      out.violationStart = deadline;
      out.violationEnd = stop;
    }
    return out;
  }
  if (outcome === SUBJECT.failed && end <= at) {
    out.kind = VERDICT.bad;
    out.at = Math.min(end, deadline);
    out.violationStart = start;
    out.violationEnd = end;
    return out;
  }
  if ((outcome === SUBJECT.cancelled || outcome === SUBJECT.skipped) && end <= at) {
    // A cancellation after the threshold cannot erase a verdict that was already known.
    if (outcome === SUBJECT.cancelled && end - start > t) {
      out.kind = VERDICT.bad;
      out.at = deadline;
      out.violationStart = deadline;
      out.violationEnd = end;
    } else {
      out.kind = VERDICT.excluded;
    }
    return out;
  }
  out.inProgress = true;
  if (at - start > t) {
    out.kind = VERDICT.bad;
    out.at = deadline;
    out.violationStart = deadline;
    out.violationEnd = at;
  } else {
    out.kind = VERDICT.pending;
  }
  return out;
}
