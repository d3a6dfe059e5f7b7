import type { Attempt } from "../core/attempt/attempt.js";
import type { StaleInProgress } from "../core/evaluation/stale-in-progress.js";
import { END_REASON_ATTRIBUTE } from "../core/evaluation/timed-out-attempt.js";
import { formatDuration } from "../core/primitives/duration.js";
import { formatTimestamp } from "../core/primitives/timestamp.js";

/** More than this many attempts are summed up in one line. */
const MAX_LINES = 20;

function what(attempt: Pick<Attempt, "id" | "model" | "version" | "environment">): string {
  return `attempt ${attempt.id} (${attempt.model} ${attempt.version} → ${attempt.environment})`;
}

function capped(lines: string[]): string[] {
  if (lines.length <= MAX_LINES) return lines;
  return [...lines.slice(0, MAX_LINES), `… and ${lines.length - MAX_LINES} more`];
}

/** stderr lines for attempts counted as timed_out at evaluation time. */
export function timedOutLines(attempts: readonly Attempt[]): string[] {
  return capped(
    attempts.map((attempt) => {
      const reason = attempt.attributes[END_REASON_ATTRIBUTE] ?? "past its in-progress timeout";
      return `deployslo: warning: ${what(attempt)} is counted as timed_out at ${formatTimestamp(attempt.endedAt ?? attempt.startedAt)}: ${reason}`;
    }),
  );
}

/** What a stale-attempt warning says, from the evaluation or from a server's overview. */
export interface StaleWarning {
  readonly id: string;
  readonly model: string;
  readonly version: string;
  readonly environment: string;
  readonly elapsedMs: number;
  readonly thresholdMs: number;
  readonly timeoutAt: string;
}

export function staleWarning(stale: StaleInProgress, at: number): StaleWarning {
  const { attempt } = stale;
  return {
    id: attempt.id,
    model: attempt.model,
    version: attempt.version,
    environment: attempt.environment,
    elapsedMs: at - attempt.startedAt,
    thresholdMs: stale.thresholdMs,
    timeoutAt: formatTimestamp(stale.timeoutAt),
  };
}

/** stderr lines for attempts in progress for long past their threshold. */
export function staleLines(stale: readonly StaleWarning[]): string[] {
  return capped(
    stale.map(
      (s) =>
        `deployslo: warning: ${what(s)} has been in progress for ${formatDuration(s.elapsedMs)}, past its ${formatDuration(s.thresholdMs)} threshold, with no end recorded: did its pipeline stop? Unless it ends, it is counted as timed_out from ${s.timeoutAt}`,
    ),
  );
}
