import type { Kysely } from "kysely";

// The attempt each correlation key of the webhook receivers starts (docs/integrations.md,
// "Correlation"): the primary key makes two replicas that start the same key's attempt at once
// agree on one. `if not exists`: SQLite migrations run outside a transaction.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("hook_correlations")
    .ifNotExists()
    .addColumn("model", "text", (col) => col.notNull())
    .addColumn("environment", "text", (col) => col.notNull())
    .addColumn("version", "text", (col) => col.notNull())
    .addColumn("attempt_id", "text", (col) => col.notNull())
    .addColumn("claimed_at", "bigint", (col) => col.notNull())
    .addPrimaryKeyConstraint("hook_correlations_pk", ["model", "environment", "version"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("hook_correlations").ifExists().execute();
}
