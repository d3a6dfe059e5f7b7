import type { Kysely } from "kysely";

// The engine loads only the attempts its SLO windows can still see (those ended after an
// instant, and those still running): without this index that read scans every stored row.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex("attempts_ended_at_seq")
    .ifNotExists()
    .on("attempts")
    .columns(["ended_at", "seq"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex("attempts_ended_at_seq").ifExists().execute();
}
