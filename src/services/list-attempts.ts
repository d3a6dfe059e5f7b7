import type { AttemptFilter, AttemptPage, Page } from "../store/store.js";
import { mayReadAttempt, type ReadScope } from "./read-scope.js";
import type { UseCaseCall } from "./service-context.js";

/**
 * One page of attempts, newest first (GET /api/v1/attempts). A scoped reader's page holds only
 * its attempts, so it may be shorter than the limit; `nextCursor` still leads on through all.
 */
export async function listAttempts({
  ctx: { store },
  input: { filter, page, scope },
}: UseCaseCall<
  "store",
  { readonly filter: AttemptFilter; readonly page: Page; readonly scope: ReadScope }
>): Promise<AttemptPage> {
  const found = await store.listAttempts(filter, page);
  if (scope === undefined) return found;
  return {
    attempts: found.attempts.filter((attempt) => mayReadAttempt(scope, attempt)),
    nextCursor: found.nextCursor,
  };
}
