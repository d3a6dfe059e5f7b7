import { type Kysely, sql } from "kysely";

// Hysteresis and incidents (docs/alerting.md): when a firing alert's condition last held, and
// the open incidents. `if not exists` and a column check: Kysely runs SQLite migrations
// outside a transaction, so a process killed half-way must be able to run this again.
export async function up(db: Kysely<unknown>): Promise<void> {
  const columns = await db.introspection.getTables();
  const states = columns.find((table) => table.name === "alert_states");
  if (states !== undefined && !states.columns.some((column) => column.name === "held_at")) {
    await db.schema.alterTable("alert_states").addColumn("held_at", "bigint").execute();
  }
  await db.schema
    .createTable("alert_incidents")
    .ifNotExists()
    .addColumn("key", "text", (col) => col.primaryKey())
    .addColumn("slo", "text", (col) => col.notNull())
    .addColumn("alert", "text", (col) => col.notNull())
    .addColumn("starts_at", "bigint", (col) => col.notNull())
    .addColumn("slos", "text", (col) => col.notNull())
    .addColumn("alerts", "text", (col) => col.notNull())
    .addColumn("notified", "text", (col) => col.notNull())
    .execute();
  // Firing alerts saved before: their condition last held when they were last evaluated.
  await sql`update alert_states set held_at = evaluated_at where state = 'firing' and held_at is null`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("alert_incidents").ifExists().execute();
  await db.schema.alterTable("alert_states").dropColumn("held_at").execute();
}
