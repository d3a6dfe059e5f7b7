import type { Kysely } from "kysely";

// `if not exists` everywhere: Kysely runs SQLite migrations outside a transaction, so a
// process killed half-way must be able to run this again.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("alert_states")
    .ifNotExists()
    .addColumn("slo", "text", (col) => col.notNull())
    .addColumn("alert", "text", (col) => col.notNull())
    .addColumn("severity", "text", (col) => col.notNull())
    .addColumn("state", "text", (col) => col.notNull())
    .addColumn("since", "bigint", (col) => col.notNull())
    .addColumn("active_at", "bigint")
    .addColumn("starts_at", "bigint")
    .addColumn("evaluated_at", "bigint", (col) => col.notNull())
    .addColumn("at_risk", "text", (col) => col.notNull())
    .addColumn("firing", "text")
    .addPrimaryKeyConstraint("alert_states_pk", ["slo", "alert"])
    .execute();

  await db.schema
    .createTable("alert_transitions")
    .ifNotExists()
    .addColumn("slo", "text", (col) => col.notNull())
    .addColumn("alert", "text", (col) => col.notNull())
    .addColumn("severity", "text", (col) => col.notNull())
    .addColumn("state", "text", (col) => col.notNull())
    .addColumn("at", "bigint", (col) => col.notNull())
    .addColumn("starts_at", "bigint")
    .addColumn("reason", "text", (col) => col.notNull())
    .addPrimaryKeyConstraint("alert_transitions_pk", ["slo", "alert", "at", "state"])
    .execute();
  await db.schema
    .createIndex("alert_transitions_at")
    .ifNotExists()
    .on("alert_transitions")
    .columns(["at"])
    .execute();

  // One row per lease name: which replica runs the alert evaluator, until when.
  await db.schema
    .createTable("leases")
    .ifNotExists()
    .addColumn("name", "text", (col) => col.primaryKey())
    .addColumn("owner", "text", (col) => col.notNull())
    .addColumn("until", "bigint", (col) => col.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("leases").ifExists().execute();
  await db.schema.dropTable("alert_transitions").ifExists().execute();
  await db.schema.dropTable("alert_states").ifExists().execute();
}
