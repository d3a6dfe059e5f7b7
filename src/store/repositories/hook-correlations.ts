import type { Kysely } from "kysely";
import type { Database } from "../schema.js";
import type { CorrelationClaim, CorrelationOwner } from "../store.js";
import { wholeMillis } from "../whole-millis.js";

function storedOutcome(db: Kysely<Database>, attemptId: string) {
  return db.selectFrom("attempts").select("outcome").where("id", "=", attemptId).executeTakeFirst();
}

/**
 * Store.claimCorrelation. Call in a write transaction: writers take turns across replicas, and
 * the key is the table's primary key, so two claims of one key never both win.
 */
export async function claimCorrelation(
  db: Kysely<Database>,
  claim: CorrelationClaim,
  now: number,
): Promise<CorrelationOwner> {
  const key = { model: claim.model, environment: claim.environment, version: claim.version };
  const held = await db
    .selectFrom("hook_correlations")
    .select("attempt_id")
    .where("model", "=", key.model)
    .where("environment", "=", key.environment)
    .where("version", "=", key.version)
    .executeTakeFirst();
  if (held !== undefined) {
    const attempt = await storedOutcome(db, held.attempt_id);
    // The key's attempt stands while it is in progress, and while it is not stored yet: its
    // first delivery is still being written on another replica (or failed, and this delivery
    // starts it). A proposal of the same id (a redelivery) keeps it too.
    if (
      held.attempt_id === claim.attemptId ||
      attempt === undefined ||
      attempt.outcome === "in_progress"
    ) {
      return { attemptId: held.attempt_id, stored: attempt !== undefined };
    }
  }
  const claimedAt = wholeMillis(now, "claimed_at");
  await db
    .insertInto("hook_correlations")
    .values({ ...key, attempt_id: claim.attemptId, claimed_at: claimedAt })
    .onConflict((oc) =>
      oc
        .columns(["model", "environment", "version"])
        .doUpdateSet({ attempt_id: claim.attemptId, claimed_at: claimedAt }),
    )
    .execute();
  const own = await storedOutcome(db, claim.attemptId);
  return { attemptId: claim.attemptId, stored: own !== undefined };
}
