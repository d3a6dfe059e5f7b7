import type { Kysely } from "kysely";
import type { Attempt } from "../../core/attempt/attempt.js";
import type { AttemptEvent } from "../../core/attempt/attempt-event.js";
import { encodeAttempt } from "../attempt-row.js";
import { chunks } from "../chunks.js";
import { eventToRow, rowToEvent } from "../event-row.js";
import type { Database } from "../schema.js";
import { recordsOf, saveRecords, storedAttempts } from "./attempt-records.js";
import { upsertAttempts, type WriteAttemptRows, writeAttemptRowsWithKysely } from "./attempts.js";
import { allocateSeqs } from "./counters.js";

/** 6 parameters a row: 6,000 a statement. */
const EVENTS_PER_INSERT = 1000;
const IDS_PER_SELECT = 1000;

/** foldAttemptEvents: the attempt from its events and the latest record stored for it, if any. */
export type FoldAttemptEvents = (
  attemptId: string,
  events: readonly AttemptEvent[],
  record?: Attempt,
) => Attempt | undefined;

/** The ids among `ids` of events already stored. */
export async function findEventIds(
  db: Kysely<Database>,
  ids: readonly string[],
): Promise<Set<string>> {
  const found = new Set<string>();
  for (const chunk of chunks(ids, IDS_PER_SELECT)) {
    const rows = await db.selectFrom("events").select("id").where("id", "in", chunk).execute();
    for (const row of rows) found.add(row.id);
  }
  return found;
}

/** Every stored event of each attempt, in the order received. */
export async function eventsOfAttempts(
  db: Kysely<Database>,
  attemptIds: readonly string[],
): Promise<Map<string, AttemptEvent[]>> {
  const byAttempt = new Map<string, AttemptEvent[]>();
  for (const chunk of chunks(attemptIds, IDS_PER_SELECT)) {
    const rows = await db
      .selectFrom("events")
      .select(["id", "attempt_id", "body"])
      .where("attempt_id", "in", chunk)
      .orderBy("received_seq")
      .execute();
    for (const row of rows) {
      const events = byAttempt.get(row.attempt_id) ?? [];
      events.push(rowToEvent(row));
      byAttempt.set(row.attempt_id, events);
    }
  }
  return byAttempt;
}

/**
 * Stores the events whose id is new, then folds every attempt they touch from all its stored
 * events and its latest record (attempt-records.ts) and upserts what `fold` returns. Run it in a write transaction (after
 * StoreDialect.lockWriters): when `fold` throws, nothing of the call must remain.
 */
export async function appendEvents(
  db: Kysely<Database>,
  events: readonly AttemptEvent[],
  fold: FoldAttemptEvents,
  now: number,
  writeRows: WriteAttemptRows = writeAttemptRowsWithKysely,
): Promise<{ accepted: number; duplicates: number; acceptedIds: string[]; attempts: Attempt[] }> {
  const firstOfId = new Map<string, AttemptEvent>();
  for (const event of events) if (!firstOfId.has(event.id)) firstOfId.set(event.id, event);
  const stored = await findEventIds(db, [...firstOfId.keys()]);
  const fresh = [...firstOfId.values()].filter((event) => !stored.has(event.id));
  const duplicates = events.length - fresh.length;
  if (fresh.length === 0) return { accepted: 0, duplicates, acceptedIds: [], attempts: [] };

  const firstSeq = await allocateSeqs(db, "event_seq", fresh.length);
  const rows = fresh.map((event, i) => eventToRow(event, firstSeq + i));
  for (const chunk of chunks(rows, EVENTS_PER_INSERT)) {
    await db.insertInto("events").values(chunk).execute();
  }

  const touched = [...new Set(fresh.map((event) => event.attemptId))];
  const byAttempt = await eventsOfAttempts(db, touched);
  const records = await recordsOf(db, touched);
  // An attempt receiving its first events: its stored row, if any, came from a record, which
  // from now on is kept apart so that this and every later fold see it.
  const freshIds = new Set(fresh.map((event) => event.id));
  const first = touched.filter(
    (id) => !records.has(id) && (byAttempt.get(id) ?? []).every((event) => freshIds.has(event.id)),
  );
  if (first.length > 0) {
    const recorded = await storedAttempts(db, first);
    for (const record of recorded) records.set(record.id, record);
    await saveRecords(db, recorded);
  }
  const attempts: Attempt[] = [];
  for (const attemptId of touched) {
    const attempt = fold(attemptId, byAttempt.get(attemptId) ?? [], records.get(attemptId));
    if (attempt !== undefined) attempts.push(attempt);
  }
  await upsertAttempts(db, attempts.map(encodeAttempt), now, writeRows);
  return {
    accepted: fresh.length,
    duplicates,
    acceptedIds: fresh.map((event) => event.id),
    attempts,
  };
}
