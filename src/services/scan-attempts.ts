import type { Attempt, Outcome } from "../core/attempt/attempt.js";
import { selectorMatcher } from "../core/evaluation/selector-matcher.js";
import type { Selector, Slo } from "../core/spec/slo.js";
import type { AttemptFilter, Store } from "../store/store.js";
import { mayReadAttempt, type ReadScope } from "./read-scope.js";

/** Most attempts a dashboard query reads from the store (newest first) before it stops. */
export const MAX_SCANNED = 5_000;
const PAGE = 1_000;
const HAS_GLOB = /[*?]/;

export interface AttemptScope {
  readonly slo?: Slo | undefined;
  /** Only the attempts this reader may see (undefined: every one). */
  readonly readable?: ReadScope;
  readonly outcome?: Outcome | undefined;
  /** Used when no SLO is given. */
  readonly selector?: Selector | undefined;
  readonly model?: string | undefined;
  readonly environment?: string | undefined;
  readonly from?: number | undefined;
  readonly to?: number | undefined;
}

/**
 * Reads the newest attempts in a scope (an SLO's selector, a model, an environment, a time
 * range, an outcome, what a reader may see), newest first, until `wanted` match or MAX_SCANNED
 * have been read. Exact selector values become store filters; globs, labels and the reader's
 * scope are matched here.
 */
export async function scanAttempts(
  store: Store,
  scope: AttemptScope,
  wanted: number,
): Promise<{ readonly attempts: Attempt[]; readonly scanned: number; readonly complete: boolean }> {
  const filter: { -readonly [K in keyof AttemptFilter]: AttemptFilter[K] } = {};
  const selector = scope.slo?.selector ?? scope.selector;
  if (scope.model !== undefined) filter.model = scope.model;
  else if (selector?.model != null && !HAS_GLOB.test(selector.model)) filter.model = selector.model;
  if (scope.environment !== undefined) filter.environment = scope.environment;
  else if (selector?.environment != null && !HAS_GLOB.test(selector.environment))
    filter.environment = selector.environment;
  if (scope.outcome !== undefined) filter.outcome = scope.outcome;
  if (scope.from !== undefined) filter.from = scope.from;
  if (scope.to !== undefined) filter.to = scope.to;
  const selects = selector === undefined ? () => true : selectorMatcher(selector);
  const readable = scope.readable;
  const matches = (attempt: Attempt) => selects(attempt) && mayReadAttempt(readable, attempt);
  const attempts: Attempt[] = [];
  let scanned = 0;
  let cursor: string | null = null;
  do {
    const page = await store.listAttempts(
      filter,
      cursor === null ? { limit: PAGE } : { limit: PAGE, cursor },
    );
    for (const attempt of page.attempts) {
      scanned++;
      if (matches(attempt)) attempts.push(attempt);
      if (attempts.length >= wanted) return { attempts, scanned, complete: false };
    }
    cursor = page.nextCursor;
  } while (cursor !== null && scanned < MAX_SCANNED);
  return { attempts, scanned, complete: cursor === null };
}
