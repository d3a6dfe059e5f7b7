import type { Kysely } from "kysely";

// `if not exists` everywhere: Kysely runs SQLite migrations outside a transaction, so a
// process killed half-way must be able to run this again.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("approvals")
    .ifNotExists()
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("approver", "text", (col) => col.notNull())
    .addColumn("reason", "text", (col) => col.notNull())
    .addColumn("model", "text", (col) => col.notNull())
    .addColumn("environment", "text", (col) => col.notNull())
    .addColumn("version", "text")
    .addColumn("granted_at", "bigint", (col) => col.notNull())
    .addColumn("expires_at", "bigint", (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex("approvals_scope")
    .ifNotExists()
    .on("approvals")
    .columns(["model", "environment", "expires_at"])
    .execute();

  // Append-only: the store has no method that updates or deletes a row of it.
  await db.schema
    .createTable("audit_log")
    .ifNotExists()
    .addColumn("seq", "bigint", (col) => col.primaryKey())
    .addColumn("at", "bigint", (col) => col.notNull())
    .addColumn("kind", "text", (col) => col.notNull())
    .addColumn("actor", "text", (col) => col.notNull())
    .addColumn("model", "text", (col) => col.notNull())
    .addColumn("environment", "text", (col) => col.notNull())
    .addColumn("version", "text")
    .addColumn("decision", "text")
    .addColumn("detail", "text", (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex("audit_log_at")
    .ifNotExists()
    .on("audit_log")
    .columns(["at"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("audit_log").ifExists().execute();
  await db.schema.dropTable("approvals").ifExists().execute();
}
