import { type Kysely, sql } from "kysely";
import { chunks } from "../chunks.js";
import type { Database } from "../schema.js";
import type { AttemptExportRecord } from "../store.js";
import { StoreError } from "../store-error.js";
import { wholeMillis } from "../whole-millis.js";

/** 5 parameters a row. */
const ROWS_PER_INSERT = 500;
const IDS_PER_SELECT = 1000;

/**
 * The exporter's cursor, started at the latest attempt change when it has none. Call in a
 * write transaction (writers take turns), so two replicas starting at once agree on it.
 */
export async function exportCursor(db: Kysely<Database>, exporter: string): Promise<number> {
  const latest = await db
    .selectFrom("attempts")
    .select((eb) => eb.fn.max("seq").as("seq"))
    .executeTakeFirst();
  await db
    .insertInto("export_cursors")
    .values({ exporter, seq: Number(latest?.seq ?? 0) })
    .onConflict((oc) => oc.column("exporter").doNothing())
    .execute();
  const row = await db
    .selectFrom("export_cursors")
    .select("seq")
    .where("exporter", "=", exporter)
    .executeTakeFirstOrThrow();
  return Number(row.seq);
}

export async function exportedAttempts(
  db: Kysely<Database>,
  exporter: string,
  attemptIds: readonly string[],
): Promise<ReadonlySet<string>> {
  const found = new Set<string>();
  for (const ids of chunks([...new Set(attemptIds)], IDS_PER_SELECT)) {
    const rows = await db
      .selectFrom("attempt_exports")
      .select("attempt_id")
      .where("exporter", "=", exporter)
      .where("attempt_id", "in", ids)
      .execute();
    for (const row of rows) found.add(row.attempt_id);
  }
  return found;
}

/** Commits an exporter's round, fenced by its lease (see Store.recordAttemptExports). */
export async function recordAttemptExports(
  db: Kysely<Database>,
  record: AttemptExportRecord,
): Promise<boolean> {
  if (!Number.isSafeInteger(record.cursor) || record.cursor < 0) {
    throw new StoreError(
      "invalid-argument",
      "cursor",
      `cursor must be a whole number ≥ 0, not ${record.cursor}`,
    );
  }
  const at = wholeMillis(record.at, "exported_at");
  const lease = await db
    .selectFrom("leases")
    .select("owner")
    .where("name", "=", record.lease)
    .executeTakeFirst();
  if (lease?.owner !== record.owner) return false;
  const rows = record.exports.map((item) => ({
    exporter: record.exporter,
    attempt_id: item.attemptId,
    status: item.status,
    detail: item.detail,
    exported_at: at,
  }));
  for (const part of chunks(rows, ROWS_PER_INSERT)) {
    await db
      .insertInto("attempt_exports")
      .values(part)
      .onConflict((oc) => oc.columns(["exporter", "attempt_id"]).doNothing())
      .execute();
  }
  await db
    .insertInto("export_cursors")
    .values({ exporter: record.exporter, seq: record.cursor })
    .onConflict((oc) =>
      oc.column("exporter").doUpdateSet({
        seq: sql<number>`case when export_cursors.seq > excluded.seq then export_cursors.seq else excluded.seq end`,
      }),
    )
    .execute();
  return true;
}
