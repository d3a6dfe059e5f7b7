import type { Kysely } from "kysely";
import type { Attempt } from "../../core/attempt/attempt.js";
import type { AttemptEvent } from "../../core/attempt/attempt-event.js";
import { encodeAttempt } from "../attempt-row.js";
import { chunks } from "../chunks.js";
import { eventToRow, rowToEvent } from "../event-row.js";
import { parseStoredJson } from "../parse-stored-json.js";
import type { Database } from "../schema.js";
import { saveRecords, storedAttempts } from "./attempt-records.js";
import { type WriteAttemptRows, writeAttemptRowsWithKysely } from "./attempts.js";
import { type EventStatements, kyselyEventStatements } from "./event-statements.js";

/** 6 parameters a row: 6,000 a statement. */
export const EVENTS_PER_INSERT = 1000;
const IDS_PER_SELECT = 1000;

/** foldAttemptEvents: the attempt from its events and the latest record stored for it, if any. */
export type FoldAttemptEvents = (
  attemptId: string,
  events: readonly AttemptEvent[],
  record?: Attempt,
) => Attempt | undefined;

/** Every stored event of each attempt, in the order received. */
export async function eventsOfAttempts(
  db: Kysely<Database>,
  attemptIds: readonly string[],
): Promise<Map<string, AttemptEvent[]>> {
  const byAttempt = new Map<string, AttemptEvent[]>();
  for (const chunk of chunks(attemptIds, IDS_PER_SELECT)) {
    const rows = await db
      .selectFrom("events")
      .select(["id", "attempt_id", "type", "at", "body"])
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

/** What one read gives for folding the attempts an append touches; see foldInputs. */
interface FoldInputs {
  readonly byAttempt: Map<string, AttemptEvent[]>;
  readonly records: Map<string, Attempt>;
  /** Attempts with a stored row but no events or record before this append. */
  readonly first: string[];
}

async function foldInputs(
  statements: EventStatements,
  attemptIds: readonly string[],
  firstSeq: number,
): Promise<FoldInputs> {
  const inputs: FoldInputs = { byAttempt: new Map(), records: new Map(), first: [] };
  for (const chunk of chunks(attemptIds, IDS_PER_SELECT)) {
    for (const row of await statements.foldRows(chunk, firstSeq)) {
      if (row.kind === 0) {
        const events = inputs.byAttempt.get(row.attempt_id) ?? [];
        events.push(rowToEvent(row));
        inputs.byAttempt.set(row.attempt_id, events);
      } else if (row.kind === 1) {
        const what = `stored record ${JSON.stringify(row.attempt_id)}`;
        inputs.records.set(row.attempt_id, parseStoredJson<Attempt>(row.body, what));
      } else {
        inputs.first.push(row.attempt_id);
      }
    }
  }
  return inputs;
}

/**
 * Stores the events whose id is new, then folds every attempt they touch from all its stored
 * events and its latest record (attempt-records.ts) and writes what `fold` returns. Its first
 * statement reserves the sequence numbers, so on SQLite it stands for StoreDialect.lockWriters
 * (StoreDialect.countersLockWriters); run it in a write transaction: when `fold` throws,
 * nothing of the call must remain. A single event costs four statements: reserve, insert,
 * one read of what the fold needs, write the attempt (docs/decisions.md, "Cheaper writes").
 */
export async function appendEvents(
  db: Kysely<Database>,
  events: readonly AttemptEvent[],
  fold: FoldAttemptEvents,
  now: number,
  writeRows: WriteAttemptRows = writeAttemptRowsWithKysely,
  statements: EventStatements = kyselyEventStatements(db),
): Promise<{ accepted: number; duplicates: number; acceptedIds: string[]; attempts: Attempt[] }> {
  const firstOfId = new Map<string, AttemptEvent>();
  for (const event of events) if (!firstOfId.has(event.id)) firstOfId.set(event.id, event);
  const candidates = [...firstOfId.values()];
  const { firstEventSeq, firstAttemptSeq } = await statements.reserve(
    candidates.length,
    new Set(candidates.map((event) => event.attemptId)).size,
  );
  const rows = candidates.map((event, i) => eventToRow(event, firstEventSeq + i));
  const storedIds = new Set<string>();
  for (const chunk of chunks(rows, EVENTS_PER_INSERT)) {
    for (const id of await statements.insertEvents(chunk)) storedIds.add(id);
  }
  const fresh = candidates.filter((event) => storedIds.has(event.id));
  const duplicates = events.length - fresh.length;
  if (fresh.length === 0) return { accepted: 0, duplicates, acceptedIds: [], attempts: [] };

  const touched = [...new Set(fresh.map((event) => event.attemptId))];
  const { byAttempt, records, first } = await foldInputs(statements, touched, firstEventSeq);
  // An attempt receiving its first events: its stored row, if any, came from a record, which
  // from now on is kept apart so that this and every later fold see it.
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
  // Each touched id once, so no upsert is needed to pick the last of repeated ids, nor a read
  // to count inserted against updated rows: nobody asks.
  await writeRows(db, attempts.map(encodeAttempt), firstAttemptSeq, now);
  return {
    accepted: fresh.length,
    duplicates,
    acceptedIds: fresh.map((event) => event.id),
    attempts,
  };
}
