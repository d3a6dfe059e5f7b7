import type { Kysely } from "kysely";
import type { Attempt } from "../../core/attempt/attempt.js";
import { decodeAttemptCursor, encodeAttemptCursor } from "../attempt-cursor.js";
import { rowToAttempt } from "../attempt-row.js";
import { chunks } from "../chunks.js";
import { clampLimit, MAX_ATTEMPTS_PER_PAGE, MAX_CHANGES_PER_CALL } from "../page-limits.js";
import type { Database, EncodedAttempt, NewAttemptRow } from "../schema.js";
import type { AttemptChange, AttemptFilter, AttemptPage, Page } from "../store.js";
import { StoreError } from "../store-error.js";
import { allocateSeqs } from "./counters.js";

/** 14 parameters a row: 7,000 a statement. */
const ATTEMPTS_PER_INSERT = 500;
const IDS_PER_SELECT = 1000;

/** The ids among `ids` that have a stored attempt. */
export async function findAttemptIds(
  db: Kysely<Database>,
  ids: readonly string[],
): Promise<Set<string>> {
  const found = new Set<string>();
  for (const chunk of chunks(ids, IDS_PER_SELECT)) {
    const rows = await db.selectFrom("attempts").select("id").where("id", "in", chunk).execute();
    for (const row of rows) found.add(row.id);
  }
  return found;
}

/**
 * Writes attempts as rows, the i-th with seq `firstSeq + i`, replacing stored rows with the
 * same id; see StoreDialect.writeAttemptRows.
 */
export type WriteAttemptRows = (
  db: Kysely<Database>,
  attempts: readonly EncodedAttempt[],
  firstSeq: number,
  updatedAt: number,
) => Promise<void>;

/** The portable writer: multi-row `insert … on conflict (id) do update`, 500 rows a statement. */
export async function writeAttemptRowsWithKysely(
  db: Kysely<Database>,
  attempts: readonly EncodedAttempt[],
  firstSeq: number,
  updatedAt: number,
): Promise<void> {
  const rows = attempts.map(
    (attempt, i): NewAttemptRow => ({ ...attempt, seq: firstSeq + i, updated_at: updatedAt }),
  );
  for (const chunk of chunks(rows, ATTEMPTS_PER_INSERT)) {
    await db
      .insertInto("attempts")
      .values(chunk)
      .onConflict((oc) =>
        oc.column("id").doUpdateSet((eb) => ({
          seq: eb.ref("excluded.seq"),
          model: eb.ref("excluded.model"),
          version: eb.ref("excluded.version"),
          environment: eb.ref("excluded.environment"),
          labels: eb.ref("excluded.labels"),
          started_at: eb.ref("excluded.started_at"),
          serving_at: eb.ref("excluded.serving_at"),
          ended_at: eb.ref("excluded.ended_at"),
          outcome: eb.ref("excluded.outcome"),
          stages: eb.ref("excluded.stages"),
          dependencies: eb.ref("excluded.dependencies"),
          attributes: eb.ref("excluded.attributes"),
          updated_at: eb.ref("excluded.updated_at"),
        })),
      )
      .execute();
  }
}

/**
 * Inserts or replaces attempts by id, each with a new seq; of repeated ids the last wins.
 * Run it in a write transaction (after StoreDialect.lockWriters). Counts distinct ids.
 */
export async function upsertAttempts(
  db: Kysely<Database>,
  attempts: readonly EncodedAttempt[],
  now: number,
  writeRows: WriteAttemptRows = writeAttemptRowsWithKysely,
): Promise<{ inserted: number; updated: number }> {
  const latest = new Map<string, EncodedAttempt>();
  for (const attempt of attempts) latest.set(attempt.id, attempt);
  if (latest.size === 0) return { inserted: 0, updated: 0 };
  const existing = await findAttemptIds(db, [...latest.keys()]);
  const firstSeq = await allocateSeqs(db, "attempt_seq", latest.size);
  await writeRows(
    db,
    latest.size === attempts.length ? attempts : [...latest.values()],
    firstSeq,
    now,
  );
  return { inserted: latest.size - existing.size, updated: existing.size };
}

/**
 * Writes each attempt only while its stored row is still in progress, so that an end recorded
 * meanwhile is never overwritten; run it under the writers' lock. Returns the ids written.
 */
export async function replaceAttemptsInProgress(
  db: Kysely<Database>,
  attempts: readonly EncodedAttempt[],
  now: number,
  writeRows: WriteAttemptRows = writeAttemptRowsWithKysely,
): Promise<string[]> {
  const open = new Set<string>();
  for (const chunk of chunks(
    attempts.map((a) => a.id),
    IDS_PER_SELECT,
  )) {
    const rows = await db
      .selectFrom("attempts")
      .select("id")
      .where("id", "in", chunk)
      .where("outcome", "=", "in_progress")
      .execute();
    for (const row of rows) open.add(row.id);
  }
  const due = attempts.filter((attempt) => open.has(attempt.id));
  if (due.length === 0) return [];
  const firstSeq = await allocateSeqs(db, "attempt_seq", due.length);
  await writeRows(db, due, firstSeq, now);
  return due.map((attempt) => attempt.id);
}

export async function getAttempt(db: Kysely<Database>, id: string): Promise<Attempt | undefined> {
  const row = await db.selectFrom("attempts").selectAll().where("id", "=", id).executeTakeFirst();
  return row === undefined ? undefined : rowToAttempt(row);
}

/** Newest first by (started_at desc, id desc), keyset-paginated. */
export async function listAttempts(
  db: Kysely<Database>,
  filter: AttemptFilter,
  page: Page,
): Promise<AttemptPage> {
  for (const [name, value] of [
    ["from", filter.from],
    ["to", filter.to],
  ] as const) {
    if (value !== undefined && !Number.isSafeInteger(value)) {
      throw new StoreError(
        "invalid-argument",
        name,
        `${name} must be whole epoch milliseconds, not ${value}`,
      );
    }
  }
  const limit = clampLimit(page.limit, MAX_ATTEMPTS_PER_PAGE);
  let query = db.selectFrom("attempts").selectAll();
  if (filter.model !== undefined) query = query.where("model", "=", filter.model);
  if (filter.version !== undefined) query = query.where("version", "=", filter.version);
  if (filter.environment !== undefined) {
    query = query.where("environment", "=", filter.environment);
  }
  if (filter.outcome !== undefined) query = query.where("outcome", "=", filter.outcome);
  if (filter.from !== undefined) query = query.where("started_at", ">=", filter.from);
  if (filter.to !== undefined) query = query.where("started_at", "<", filter.to);
  if (page.cursor !== undefined) {
    const after = decodeAttemptCursor(page.cursor);
    query = query.where((eb) =>
      eb(eb.refTuple("started_at", "id"), "<", eb.tuple(after.startedAt, after.id)),
    );
  }
  const rows = await query
    .orderBy("started_at", "desc")
    .orderBy("id", "desc")
    .limit(limit + 1)
    .execute();
  const attempts = rows.slice(0, limit).map(rowToAttempt);
  const last = attempts.at(-1);
  const nextCursor =
    rows.length > limit && last !== undefined
      ? encodeAttemptCursor({ startedAt: last.startedAt, id: last.id })
      : null;
  return { attempts, nextCursor };
}

/** Attempts whose seq is above `afterSeq`, lowest seq first. */
export async function changesSince(
  db: Kysely<Database>,
  afterSeq: number,
  limit: number,
): Promise<AttemptChange[]> {
  if (!Number.isSafeInteger(afterSeq)) {
    throw new StoreError(
      "invalid-argument",
      "afterSeq",
      `afterSeq must be a whole number, not ${afterSeq}`,
    );
  }
  if (!(limit >= 1)) return [];
  const rows = await db
    .selectFrom("attempts")
    .selectAll()
    .where("seq", ">", afterSeq)
    .orderBy("seq")
    .limit(clampLimit(limit, MAX_CHANGES_PER_CALL))
    .execute();
  return rows.map((row) => ({ seq: row.seq, attempt: rowToAttempt(row) }));
}
