import { type Kysely, sql } from "kysely";

// `if not exists` and `on conflict do nothing`: Kysely runs SQLite migrations outside a
// transaction, so a process killed half-way must be able to run this again.
export async function up(db: Kysely<unknown>): Promise<void> {
  // The last policy state the alert evaluator saw per SLO: a freeze starting or ending is a
  // change from it, notified once even across restarts and replicas.
  await db.schema
    .createTable("policy_states")
    .ifNotExists()
    .addColumn("slo", "text", (col) => col.primaryKey())
    .addColumn("state", "text", (col) => col.notNull())
    .addColumn("since", "bigint", (col) => col.notNull())
    .addColumn("evaluated_at", "bigint", (col) => col.notNull())
    .addColumn("policy", "text", (col) => col.notNull())
    .addColumn("freeze", "text")
    .execute();

  // Which SLOs each audit entry concerns, so the log can be read per SLO.
  await db.schema
    .createTable("audit_slos")
    .ifNotExists()
    .addColumn("slo", "text", (col) => col.notNull())
    .addColumn("seq", "bigint", (col) => col.notNull())
    .addPrimaryKeyConstraint("audit_slos_pk", ["slo", "seq"])
    .execute();
  await db.schema
    .createIndex("audit_slos_seq")
    .ifNotExists()
    .on("audit_slos")
    .columns(["seq"])
    .execute();
  await backfillAuditSlos(db);
}

/** Entries written before this migration name their SLOs in detail.slos[].name. */
async function backfillAuditSlos(db: Kysely<unknown>): Promise<void> {
  const rows = await sql<{ seq: number | string; detail: string }>`
    select seq, detail from audit_log where kind <> 'approval'`.execute(db);
  for (const row of rows.rows) {
    let names: string[] = [];
    try {
      const detail = JSON.parse(row.detail) as { slos?: { name?: unknown }[] };
      names = (detail.slos ?? []).flatMap((slo) =>
        typeof slo.name === "string" ? [slo.name] : [],
      );
    } catch {
      // an unreadable detail names no SLO; listing the entry unfiltered still shows it
    }
    for (const name of new Set(names)) {
      await sql`insert into audit_slos (slo, seq) values (${name}, ${Number(row.seq)})
        on conflict do nothing`.execute(db);
    }
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("audit_slos").ifExists().execute();
  await db.schema.dropTable("policy_states").ifExists().execute();
}
