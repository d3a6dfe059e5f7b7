import { type Kysely, sql } from "kysely";

// `if not exists` everywhere: Kysely runs SQLite migrations outside a transaction, so a
// process killed half-way must be able to run this again.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("attempts")
    .ifNotExists()
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("seq", "bigint", (col) => col.notNull())
    .addColumn("model", "text", (col) => col.notNull())
    .addColumn("version", "text", (col) => col.notNull())
    .addColumn("environment", "text", (col) => col.notNull())
    .addColumn("labels", "text", (col) => col.notNull())
    .addColumn("started_at", "bigint", (col) => col.notNull())
    .addColumn("serving_at", "bigint")
    .addColumn("ended_at", "bigint")
    .addColumn("outcome", "text", (col) => col.notNull())
    .addColumn("stages", "text", (col) => col.notNull())
    .addColumn("dependencies", "text", (col) => col.notNull())
    .addColumn("attributes", "text", (col) => col.notNull())
    .addColumn("updated_at", "bigint", (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex("attempts_seq")
    .ifNotExists()
    .unique()
    .on("attempts")
    .column("seq")
    .execute();
  await db.schema
    .createIndex("attempts_started_at_id")
    .ifNotExists()
    .on("attempts")
    .columns(["started_at", "id"])
    .execute();
  await db.schema
    .createIndex("attempts_model_environment_started_at")
    .ifNotExists()
    .on("attempts")
    .columns(["model", "environment", "started_at"])
    .execute();
  await db.schema
    .createIndex("attempts_outcome")
    .ifNotExists()
    .on("attempts")
    .column("outcome")
    .execute();

  await db.schema
    .createTable("events")
    .ifNotExists()
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("attempt_id", "text", (col) => col.notNull())
    .addColumn("type", "text", (col) => col.notNull())
    .addColumn("at", "bigint")
    .addColumn("body", "text", (col) => col.notNull())
    .addColumn("received_seq", "bigint", (col) => col.notNull())
    .execute();
  // received_seq in the index: folding reads all events of an attempt in arrival order.
  await db.schema
    .createIndex("events_attempt_id_received_seq")
    .ifNotExists()
    .on("events")
    .columns(["attempt_id", "received_seq"])
    .execute();

  await db.schema
    .createTable("counters")
    .ifNotExists()
    .addColumn("id", "integer", (col) => col.primaryKey())
    .addColumn("attempt_seq", "bigint", (col) => col.notNull().defaultTo(0))
    .addColumn("event_seq", "bigint", (col) => col.notNull().defaultTo(0))
    .addCheckConstraint("counters_single_row", sql`id = 1`)
    .execute();
  await sql`insert into counters (id) values (1) on conflict (id) do nothing`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("counters").ifExists().execute();
  await db.schema.dropTable("events").ifExists().execute();
  await db.schema.dropTable("attempts").ifExists().execute();
}
