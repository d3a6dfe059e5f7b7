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
