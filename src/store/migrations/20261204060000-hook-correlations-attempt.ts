import type { Kysely } from "kysely";

// Retention deletes the correlation keys of the attempts it deletes (repositories/retention.ts),
// by attempt: without this index each batch would scan every key ever claimed. `if not exists`:
// SQLite migrations run outside a transaction, so a process killed half-way runs this again.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex("hook_correlations_attempt_id")
    .ifNotExists()
    .on("hook_correlations")
    .column("attempt_id")
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex("hook_correlations_attempt_id").ifExists().execute();
}
