import type { Kysely } from "kysely";

// What each exporter (the OTLP trace export) has sent: one row per exporter × attempt, so an
// attempt is exported once whatever happens to it later, and a cursor per exporter over the
// attempts' change sequence. `if not exists`: SQLite migrations run outside a transaction.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("attempt_exports")
    .ifNotExists()
    .addColumn("exporter", "text", (col) => col.notNull())
    .addColumn("attempt_id", "text", (col) => col.notNull())
    .addColumn("status", "text", (col) => col.notNull())
    .addColumn("detail", "text")
    .addColumn("exported_at", "bigint", (col) => col.notNull())
    .addPrimaryKeyConstraint("attempt_exports_pk", ["exporter", "attempt_id"])
    .execute();
  await db.schema
    .createTable("export_cursors")
    .ifNotExists()
    .addColumn("exporter", "text", (col) => col.primaryKey())
    .addColumn("seq", "bigint", (col) => col.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("export_cursors").ifExists().execute();
  await db.schema.dropTable("attempt_exports").ifExists().execute();
}
