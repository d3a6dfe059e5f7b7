import type { Kysely } from "kysely";

// The latest record of each attempt that also has events: the attempt is folded from both
// (docs/api.md, "Records and events"). An attempt without events keeps its record in attempts.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("attempt_records")
    .ifNotExists()
    .addColumn("attempt_id", "text", (col) => col.primaryKey())
    .addColumn("body", "text", (col) => col.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("attempt_records").ifExists().execute();
}
