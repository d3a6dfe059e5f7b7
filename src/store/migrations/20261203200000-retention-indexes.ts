import { type Kysely, sql } from "kysely";

// Retention (docs/operations.md, "Retention") walks the ended attempts oldest first and deletes
// their export marks by attempt. `if not exists`: SQLite migrations run outside a transaction,
// so a process killed half-way must be able to run this again.
export async function up(db: Kysely<unknown>): Promise<void> {
  // The expression must stay the one the retention queries use (repositories/retention.ts).
  await sql`create index if not exists attempts_end_id
    on attempts ((coalesce(ended_at, serving_at)), id)`.execute(db);
  await db.schema
    .createIndex("attempt_exports_attempt_id")
    .ifNotExists()
    .on("attempt_exports")
    .column("attempt_id")
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex("attempt_exports_attempt_id").ifExists().execute();
  await db.schema.dropIndex("attempts_end_id").ifExists().execute();
}
