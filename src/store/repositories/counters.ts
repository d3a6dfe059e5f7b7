import { type Kysely, sql } from "kysely";
import type { Database } from "../schema.js";

/**
 * Reserves `count` consecutive sequence numbers from a counter and returns the first. Call it
 * inside the write transaction, after StoreDialect.lockWriters, so numbers commit in order.
 */
export async function allocateSeqs(
  db: Kysely<Database>,
  counter: "attempt_seq" | "event_seq",
  count: number,
): Promise<number> {
  const row = await db
    .updateTable("counters")
    .set(counter, sql<number>`${sql.ref(counter)} + ${count}`)
    .where("id", "=", 1)
    .returning(counter)
    .executeTakeFirstOrThrow();
  return row[counter] - count + 1;
}

/**
 * Reserves `events` event and `attempts` attempt sequence numbers in one statement and returns
 * the first of each. On SQLite it may be a write transaction's first statement in place of
 * StoreDialect.lockWriters (see StoreDialect.countersLockWriters): a first statement that
 * writes takes the database's write lock. Numbers reserved and not used leave gaps, which
 * readers of `seq > last` never notice: only the order matters.
 */
export async function allocateEventAndAttemptSeqs(
  db: Kysely<Database>,
  events: number,
  attempts: number,
): Promise<{ firstEventSeq: number; firstAttemptSeq: number }> {
  const row = await db
    .updateTable("counters")
    .set((eb) => ({
      event_seq: sql<number>`${eb.ref("event_seq")} + ${events}`,
      attempt_seq: sql<number>`${eb.ref("attempt_seq")} + ${attempts}`,
    }))
    .where("id", "=", 1)
    .returning(["event_seq", "attempt_seq"])
    .executeTakeFirstOrThrow();
  return {
    firstEventSeq: row.event_seq - events + 1,
    firstAttemptSeq: row.attempt_seq - attempts + 1,
  };
}
