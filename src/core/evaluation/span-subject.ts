import type { Attempt } from "../attempt/attempt.js";
import type { SpanPoint } from "../spec/slo.js";
import { SUBJECT, type SubjectOutcome, subjectOfOutcome } from "./subject-outcome.js";

/** What a span indicator judges of one attempt, in the columns of a SubjectTable. */
export interface SpanSubject {
  readonly outcome: SubjectOutcome;
  readonly start: number;
  /** When the end point was reached (outcome succeeded); null otherwise. */
  readonly stop: number | null;
  /** When the subject's failure or cancellation became known; null otherwise. */
  readonly end: number | null;
}

/**
 * The instant the clock starts: `startedAt` by default, else the earliest start of a run of the
 * stage that was not skipped (`at: start`) or the earliest end of one that succeeded
 * (`at: end`); null when the attempt never reached it.
 */
export function spanStart(from: SpanPoint | null, attempt: Attempt): number | null {
  if (from === null) return attempt.startedAt;
  let first: number | null = null;
  for (const stage of attempt.stages) {
    if (stage.name !== from.stage || stage.status === "skipped") continue;
    const t =
      from.at === "start" ? stage.startedAt : stage.status === "succeeded" ? stage.endedAt : null;
    if (t !== null && (first === null || t < first)) first = t;
  }
  return first;
}

/** Never before the clock started: a point recorded earlier counts as the start itself. */
function notBefore(t: number | null, start: number): number | null {
  return t === null ? null : Math.max(t, start);
}

/**
 * How an attempt whose end point was never recorded ends, from its own outcome and the runs of
 * the end stage that started after the clock did (see docs/semantics.md, "Measuring from
 * another start or to another end").
 */
function unreached(attempt: Attempt, start: number, running: boolean, failedAt: number | null) {
  const ended = (outcome: SubjectOutcome, end: number | null): SpanSubject => ({
    outcome,
    start,
    stop: null,
    end: notBefore(end, start),
  });
  switch (attempt.outcome) {
    case "in_progress":
      return ended(SUBJECT.inProgress, null);
    case "failed":
    case "rolled_back":
    case "timed_out":
      return ended(SUBJECT.failed, attempt.endedAt);
    case "cancelled":
      return ended(SUBJECT.cancelled, attempt.endedAt);
    case "succeeded":
      if (running) return ended(SUBJECT.inProgress, null);
      if (failedAt !== null) return ended(SUBJECT.failed, failedAt);
      return ended(SUBJECT.cancelled, attempt.endedAt ?? attempt.servingAt);
  }
}

/**
 * The subject a span indicator (from → to) judges on one attempt, or null when the attempt
 * never reached the `from` point (it is not eligible). With the default end point the subject
 * is the deployment's own outcome, timed from the `from` point; with a stage's start or end,
 * reaching it is success, and an attempt that ends without reaching it counts by its outcome.
 */
export function spanSubject(
  from: SpanPoint | null,
  to: SpanPoint | null,
  attempt: Attempt,
): SpanSubject | null {
  const start = spanStart(from, attempt);
  if (start === null) return null;
  if (to === null) {
    return {
      outcome: subjectOfOutcome(attempt.outcome),
      start,
      stop: attempt.outcome === "succeeded" ? notBefore(attempt.servingAt, start) : null,
      end: notBefore(attempt.endedAt, start),
    };
  }
  let reached: number | null = null;
  let running = false;
  let failedAt: number | null = null;
  for (const stage of attempt.stages) {
    if (stage.name !== to.stage || stage.status === "skipped" || stage.startedAt < start) continue;
    let t: number | null = null;
    if (to.at === "start") t = stage.startedAt;
    else if (stage.endedAt === null || stage.status === "in_progress") running = true;
    else if (stage.status === "succeeded") t = stage.endedAt;
    else if (stage.status !== "cancelled" && (failedAt === null || stage.endedAt < failedAt))
      failedAt = stage.endedAt;
    if (t !== null && (reached === null || t < reached)) reached = t;
  }
  if (reached !== null) return { outcome: SUBJECT.succeeded, start, stop: reached, end: null };
  return unreached(attempt, start, running, failedAt);
}
