import type { Kysely } from "kysely";
import type { Attempt } from "../../core/attempt/attempt.js";
import { foldAttemptEvents } from "../../core/attempt/fold-attempt-events.js";
import { encodeAttempt, rowToAttempt } from "../attempt-row.js";
import { chunks } from "../chunks.js";
import { parseStoredJson } from "../parse-stored-json.js";
import type { Database, EncodedAttempt } from "../schema.js";
import { upsertAttempts, type WriteAttemptRows, writeAttemptRowsWithKysely } from "./attempts.js";
import { eventsOfAttempts } from "./events.js";

// Records and events of one attempt merge by one rule (docs/api.md, "Records and events"):
// the attempt is foldAttemptEvents(its events, its latest record). An attempt without events
// keeps its record as its attempts row; from its first event on, the latest record is kept
// apart in attempt_records so that every later fold sees it.

const IDS_PER_SELECT = 1000;
/** 2 parameters a row. */
const RECORDS_PER_INSERT = 500;

/** The ids among `ids` of attempts with at least one stored event. */
export async function attemptIdsWithEvents(
  db: Kysely<Database>,
  ids: readonly string[],
): Promise<Set<string>> {
  const found = new Set<string>();
  for (const chunk of chunks(ids, IDS_PER_SELECT)) {
    const rows = await db
      .selectFrom("events")
      .select("attempt_id")
      .distinct()
      .where("attempt_id", "in", chunk)
      .execute();
    for (const row of rows) found.add(row.attempt_id);
  }
  return found;
}

/** The records kept apart for attempts among `ids`, by attempt id. */
export async function recordsOf(
  db: Kysely<Database>,
  ids: readonly string[],
): Promise<Map<string, Attempt>> {
  const found = new Map<string, Attempt>();
  for (const chunk of chunks(ids, IDS_PER_SELECT)) {
    const rows = await db
      .selectFrom("attempt_records")
      .select(["attempt_id", "body"])
      .where("attempt_id", "in", chunk)
      .execute();
    for (const row of rows) {
      found.set(
        row.attempt_id,
        parseStoredJson<Attempt>(row.body, `stored record ${JSON.stringify(row.attempt_id)}`),
      );
    }
  }
  return found;
}

/** Keeps `records` apart, replacing earlier ones of the same attempt. */
export async function saveRecords(
  db: Kysely<Database>,
  records: readonly Attempt[],
): Promise<void> {
  const rows = records.map((record) => ({ attempt_id: record.id, body: JSON.stringify(record) }));
  for (const chunk of chunks(rows, RECORDS_PER_INSERT)) {
    await db
      .insertInto("attempt_records")
      .values(chunk)
      .onConflict((oc) =>
        oc.column("attempt_id").doUpdateSet((eb) => ({ body: eb.ref("excluded.body") })),
      )
      .execute();
  }
}

/** The stored attempts rows of `ids` as attempts, for ids that have one. */
export async function storedAttempts(
  db: Kysely<Database>,
  ids: readonly string[],
): Promise<Attempt[]> {
  const found: Attempt[] = [];
  for (const chunk of chunks(ids, IDS_PER_SELECT)) {
    const rows = await db.selectFrom("attempts").selectAll().where("id", "in", chunk).execute();
    found.push(...rows.map(rowToAttempt));
  }
  return found;
}

/**
 * Stores records (the record write path): a record of an attempt without events replaces its
 * row as it is; a record of an attempt with events is kept apart and the attempt is folded
 * from its events and that record. Of repeated ids the last wins. Run it in a write
 * transaction (after StoreDialect.lockWriters).
 */
export async function upsertRecords(
  db: Kysely<Database>,
  records: readonly EncodedAttempt[],
  now: number,
  writeRows: WriteAttemptRows = writeAttemptRowsWithKysely,
): Promise<{ inserted: number; updated: number }> {
  const withEvents = await attemptIdsWithEvents(db, [...new Set(records.map((r) => r.id))]);
  if (withEvents.size === 0) return upsertAttempts(db, records, now, writeRows);
  const byAttempt = await eventsOfAttempts(db, [...withEvents]);
  const kept = new Map<string, Attempt>();
  const rows = records.map((row) => {
    if (!withEvents.has(row.id)) return row;
    const record = rowToAttempt({
      ...row,
      serving_at: row.serving_at ?? null,
      ended_at: row.ended_at ?? null,
      seq: 0,
      updated_at: 0,
    });
    kept.set(row.id, record);
    const merged = foldAttemptEvents(row.id, byAttempt.get(row.id) ?? [], record);
    return merged === undefined ? row : encodeAttempt(merged);
  });
  await saveRecords(db, [...kept.values()]);
  return upsertAttempts(db, rows, now, writeRows);
}
