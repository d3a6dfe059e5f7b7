import { type Kysely, sql } from "kysely";
import { attemptLastInstant } from "../../core/attempt/attempt-last-instant.js";
import { rowToAttempt } from "../attempt-row.js";
import { chunks } from "../chunks.js";
import { clampLimit } from "../page-limits.js";
import type { Database } from "../schema.js";
import type { PruneBatch, PrunePosition } from "../store.js";
import { StoreError } from "../store-error.js";

/** Largest batch one call looks at, whatever the caller asks: one short transaction. */
export const MAX_PRUNE_BATCH = 5_000;
const IDS_PER_STATEMENT = 1000;

// The same expression as the index attempts_end_id (migration retention-indexes), so that
// both databases walk the index: the first inference of an attempt that succeeded without a
// recorded end, else its end; null only while in progress.
const END = sql<number>`coalesce(ended_at, serving_at)`;

function checkCutoff(cutoff: number): void {
  if (!Number.isSafeInteger(cutoff)) {
    throw new StoreError(
      "invalid-argument",
      "cutoff",
      `cutoff must be whole epoch milliseconds, not ${cutoff}`,
    );
  }
}

/**
 * One batch of Store.deleteAttemptsEndedBefore: the next `limit` ended attempts by (end, id)
 * after `after`, of which those with nothing at or after `cutoff` (attemptLastInstant) are
 * deleted with their events, kept records, export marks and the webhook correlation keys that
 * point at them (a redelivery of such a key then starts an attempt afresh, as a record sent
 * again does). Run it in a write transaction.
 */
export async function deleteAttemptsEndedBefore(
  db: Kysely<Database>,
  cutoff: number,
  limit: number,
  after: PrunePosition | undefined,
): Promise<PruneBatch> {
  checkCutoff(cutoff);
  let query = db
    .selectFrom("attempts")
    .selectAll()
    .select(END.as("end_at"))
    .where("outcome", "<>", "in_progress")
    .where(END, "<", cutoff);
  if (after !== undefined) {
    checkCutoff(after.end);
    // The first term lets both databases seek the index to where the last batch stopped.
    query = query
      .where(END, ">=", after.end)
      .where(sql<boolean>`(${END}, id) > (${after.end}, ${after.id})`);
  }
  const rows = await query
    .orderBy(END)
    .orderBy("id")
    .limit(clampLimit(limit, MAX_PRUNE_BATCH))
    .execute();
  const ids = rows.flatMap((row) => {
    const last = attemptLastInstant(rowToAttempt(row));
    return last !== null && last < cutoff ? [row.id] : [];
  });
  for (const part of chunks(ids, IDS_PER_STATEMENT)) {
    await db.deleteFrom("events").where("attempt_id", "in", part).execute();
    await db.deleteFrom("attempt_records").where("attempt_id", "in", part).execute();
    await db.deleteFrom("attempt_exports").where("attempt_id", "in", part).execute();
    await db.deleteFrom("hook_correlations").where("attempt_id", "in", part).execute();
    await db.deleteFrom("attempts").where("id", "in", part).execute();
  }
  const last = rows.at(-1);
  return {
    deleted: ids.length,
    looked: rows.length,
    next:
      last === undefined || rows.length < clampLimit(limit, MAX_PRUNE_BATCH)
        ? null
        : { end: Number(last.end_at), id: last.id },
  };
}

/**
 * Deletes at most `limit` outbox deliveries that are done with (delivered, or dead after their
 * retries) and were enqueued before `cutoff`, oldest first; pending ones are never touched.
 */
export async function deleteNotificationsDoneBefore(
  db: Kysely<Database>,
  cutoff: number,
  limit: number,
): Promise<number> {
  checkCutoff(cutoff);
  const rows = await db
    .selectFrom("notification_outbox")
    .select(["key", "target"])
    .where("status", "in", ["delivered", "dead"])
    .where("created_at", "<", cutoff)
    .orderBy("created_at")
    .limit(clampLimit(limit, MAX_PRUNE_BATCH))
    .execute();
  let deleted = 0;
  for (const part of chunks(rows, IDS_PER_STATEMENT / 2)) {
    const result = await db
      .deleteFrom("notification_outbox")
      .where((eb) =>
        eb.or(part.map((row) => eb.and([eb("key", "=", row.key), eb("target", "=", row.target)]))),
      )
      .executeTakeFirst();
    deleted += Number(result.numDeletedRows);
  }
  return deleted;
}
