import { outOfScope } from "../core/policy/token-scope.js";
import type { EncodedAttempt } from "../store/schema.js";
import type { Grant } from "./auth.js";

/** Why a grant may not write this encoded attempt, or undefined when it may. */
export function admitEncoded(grant: Grant, attempt: EncodedAttempt): string | undefined {
  if (grant.scope === undefined) return undefined;
  const labels = JSON.parse(attempt.labels) as Record<string, string>;
  return outOfScope(grant.scope, { ...attempt, labels });
}

/**
 * Why a grant may not approve promotions of `model` to `environment`, or undefined when it
 * may. An approval names no labels, so a token scoped by labels cannot show the promotion is
 * its team's and may not approve.
 */
export function admitApproval(
  grant: Grant,
  target: { readonly model: string; readonly environment: string },
): string | undefined {
  if (grant.scope === undefined) return undefined;
  if (Object.keys(grant.scope.labels ?? {}).length > 0) {
    return "the token is scoped by labels, which an approval does not carry: approve with a token scoped by models and environments";
  }
  return outOfScope(grant.scope, { ...target, labels: {} });
}
