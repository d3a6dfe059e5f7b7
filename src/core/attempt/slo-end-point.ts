import type { Attempt } from "./attempt.js";

/**
 * The instant that ends what an SLO measures of an attempt: its first successful inference, or
 * the end of an attempt that never served; null while it has done neither. Time after it (a
 * canary, a rollback after serving) is shown but never counted or blamed.
 */
export function sloEndPoint(attempt: Pick<Attempt, "servingAt" | "endedAt">): number | null {
  return attempt.servingAt ?? attempt.endedAt;
}
