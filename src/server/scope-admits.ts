import type { Attempt } from "../core/attempt/attempt.js";
import type { EncodedAttempt } from "../store/schema.js";
import type { Grant } from "./auth.js";
import { outOfScope } from "./token-scope.js";

/** Why a grant may not write this encoded attempt, or undefined when it may. */
export function admitEncoded(grant: Grant, attempt: EncodedAttempt): string | undefined {
  if (grant.scope === undefined) return undefined;
  const labels = JSON.parse(attempt.labels) as Record<string, string>;
  return outOfScope(grant.scope, { ...attempt, labels });
}

/** Whether a grant may read this attempt. */
export function mayRead(grant: Grant, attempt: Attempt): boolean {
  return grant.scope === undefined || outOfScope(grant.scope, attempt) === undefined;
}
