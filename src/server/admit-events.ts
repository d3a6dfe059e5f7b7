import type { AttemptEvent } from "../core/attempt/attempt-event.js";
import { outOfScope, type ScopedFields } from "../core/policy/token-scope.js";
import { DeploysloError } from "../core/primitives/error-codes.js";
import type { Store } from "../store/store.js";
import type { Grant } from "./auth.js";

/**
 * Refuses (FORBIDDEN, nothing stored) events a scoped grant may not write. An event's attempt
 * is known from an `attempt.started` in the same request or from the store; both, where they
 * exist, must be in scope, so a token cannot take over another team's attempt by starting
 * it again. An event for an attempt known from neither is refused: a scoped reporter sends
 * `attempt.started` first (or in the same request).
 */
export async function admitEvents(
  grant: Grant,
  store: Store,
  events: readonly AttemptEvent[],
): Promise<void> {
  const scope = grant.scope;
  if (scope === undefined) return;
  const started = new Map<string, ScopedFields>();
  for (const event of events) {
    if (event.type === "attempt.started") started.set(event.attemptId, event);
  }
  const reasons = new Map<string, string>();
  const checked = new Set<string>();
  for (const event of events) {
    const id = event.attemptId;
    if (checked.has(id)) continue;
    checked.add(id);
    const stored = await store.getAttempt(id);
    const sent = started.get(id);
    const reason =
      stored === undefined && sent === undefined
        ? "the attempt is unknown: send its attempt.started event first"
        : ((stored === undefined ? undefined : outOfScope(scope, stored)) ??
          (sent === undefined ? undefined : outOfScope(scope, sent)));
    if (reason !== undefined) reasons.set(id, reason);
  }
  if (reasons.size > 0) {
    throw new DeploysloError(
      "FORBIDDEN",
      `events of ${reasons.size} attempt(s) are outside the token's scope; nothing was stored`,
      [...reasons].slice(0, 100).map(([id, reason]) => `${id}: ${reason}`),
    );
  }
}
