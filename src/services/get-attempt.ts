import type { Attempt } from "../core/attempt/attempt.js";
import { DeploysloError } from "../core/primitives/error-codes.js";
import { mayReadAttempt, type ReadScope } from "./read-scope.js";
import type { UseCaseCall } from "./service-context.js";

/** One attempt; NOT_FOUND when it does not exist or the reader may not see it (alike). */
export async function getAttempt({
  ctx: { store },
  input: { id, scope },
}: UseCaseCall<"store", { readonly id: string; readonly scope: ReadScope }>): Promise<Attempt> {
  const attempt = await store.getAttempt(id);
  if (attempt === undefined || !mayReadAttempt(scope, attempt)) {
    throw new DeploysloError("NOT_FOUND", `no attempt with id "${id}"`);
  }
  return attempt;
}
