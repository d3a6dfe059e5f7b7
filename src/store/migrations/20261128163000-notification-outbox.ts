import type { Kysely } from "kysely";

// `if not exists` everywhere: Kysely runs SQLite migrations outside a transaction, so a
// process killed half-way must be able to run this again.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("notification_outbox")
    .ifNotExists()
    .addColumn("key", "text", (col) => col.notNull())
    .addColumn("target", "text", (col) => col.notNull())
    .addColumn("slo", "text", (col) => col.notNull())
    .addColumn("alert", "text", (col) => col.notNull())
    .addColumn("state", "text", (col) => col.notNull())
    .addColumn("at", "bigint", (col) => col.notNull())
    .addColumn("starts_at", "bigint", (col) => col.notNull())
    .addColumn("notification", "text", (col) => col.notNull())
    .addColumn("status", "text", (col) => col.notNull())
    .addColumn("attempts", "integer", (col) => col.notNull().defaultTo(0))
    .addColumn("next_attempt_at", "bigint")
    .addColumn("lease_owner", "text")
    .addColumn("lease_until", "bigint")
    .addColumn("last_error", "text")
    .addColumn("last_status", "integer")
    .addColumn("created_at", "bigint", (col) => col.notNull())
    .addColumn("updated_at", "bigint", (col) => col.notNull())
    .addColumn("delivered_at", "bigint")
    .addPrimaryKeyConstraint("notification_outbox_pk", ["key", "target"])
    .execute();
  await db.schema
    .createIndex("notification_outbox_due")
    .ifNotExists()
    .on("notification_outbox")
    .columns(["status", "next_attempt_at"])
    .execute();
  // Deliveries of one alert episode to one target go out in order (firing before resolved).
  await db.schema
    .createIndex("notification_outbox_episode")
    .ifNotExists()
    .on("notification_outbox")
    .columns(["slo", "alert", "starts_at", "target", "at"])
    .execute();
  await db.schema
    .createIndex("notification_outbox_created_at")
    .ifNotExists()
    .on("notification_outbox")
    .columns(["created_at", "key", "target"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("notification_outbox").ifExists().execute();
}
