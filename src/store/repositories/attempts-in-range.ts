import type { Kysely } from "kysely";
import type { Attempt } from "../../core/attempt/attempt.js";
import { rowToAttempt } from "../attempt-row.js";
import { clampLimit, MAX_CHANGES_PER_CALL } from "../page-limits.js";
import { parseStoredJson } from "../parse-stored-json.js";
import type { AttemptRow, Database } from "../schema.js";
import type { AttemptRange, AttemptRangePage, RangeCursor } from "../store.js";
import { StoreError } from "../store-error.js";

/** The highest change seq written so far (0 when nothing was). */
export async function lastAttemptSeq(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom("attempts")
    .select((eb) => eb.fn.max("seq").as("seq"))
    .executeTakeFirst();
  return Number(row?.seq ?? 0);
}

/**
 * One page of the attempts in `range`: first those still running (no end, by seq), then those
 * ended at or after `endedFrom` (by end, then seq), so that the read walks the
 * (ended_at, seq) index and never the rows that ended before. Without `parts`, stages and
 * dependency samples are left empty (not parsed), and labels repeated across rows are parsed
 * once: an engine that measures no stage loads a million rows this way in about a second.
 */
export async function attemptsInRange(
  db: Kysely<Database>,
  range: AttemptRange,
  cursor: RangeCursor | undefined,
  limit: number,
): Promise<AttemptRangePage> {
  for (const [name, value] of [
    ["endedFrom", range.endedFrom],
    ["startedUntil", range.startedUntil ?? 0],
    ["endedBefore", range.endedBefore ?? 0],
  ] as const) {
    if (!Number.isSafeInteger(value)) {
      throw new StoreError(
        "invalid-argument",
        name,
        `${name} must be whole epoch ms, not ${value}`,
      );
    }
  }
  const size = clampLimit(limit, MAX_CHANGES_PER_CALL);
  let query = db
    .selectFrom("attempts")
    .select([
      "id",
      "seq",
      "model",
      "version",
      "environment",
      "labels",
      "started_at",
      "serving_at",
      "ended_at",
      "outcome",
      "attributes",
    ])
    .$if(range.parts, (q) => q.select(["stages", "dependencies"]));
  if (range.startedUntil !== undefined) query = query.where("started_at", "<=", range.startedUntil);
  const open = range.endedBefore === undefined && (cursor === undefined || cursor.phase === "open");
  const after = cursor ?? { phase: "ended", endedAt: range.endedFrom, seq: -1 };
  if (range.endedBefore !== undefined) query = query.where("ended_at", "<", range.endedBefore);
  if (range.seqAtMost !== undefined) query = query.where("seq", "<=", range.seqAtMost);
  const rows = open
    ? await query
        .where("ended_at", "is", null)
        .$if(cursor !== undefined, (q) => q.where("seq", ">", cursor?.seq ?? 0))
        .orderBy("seq")
        .limit(size)
        .execute()
    : await query
        // Spelled out rather than as a row value: SQLite then starts the index range at the
        // cursor instead of scanning from `endedFrom` for every page.
        .where("ended_at", ">=", Math.max(range.endedFrom, after.endedAt))
        .where((eb) =>
          eb.or([
            eb("ended_at", ">", after.endedAt),
            eb.and([eb("ended_at", "=", after.endedAt), eb("seq", ">", after.seq)]),
          ]),
        )
        .orderBy("ended_at")
        .orderBy("seq")
        .limit(size)
        .execute();
  const labels = new Map<string, Readonly<Record<string, string>>>();
  const attempts = rows.map((row): Attempt => {
    if (range.parts) return rowToAttempt({ ...(row as AttemptRow), updated_at: 0 });
    const what = `stored attempt ${JSON.stringify(row.id)}`;
    let parsed = labels.get(row.labels);
    if (parsed === undefined) {
      parsed = parseStoredJson<Readonly<Record<string, string>>>(row.labels, `${what}: labels`);
      labels.set(row.labels, parsed);
    }
    return {
      id: row.id,
      model: row.model,
      version: row.version,
      environment: row.environment,
      labels: parsed,
      startedAt: row.started_at,
      servingAt: row.serving_at,
      endedAt: row.ended_at,
      outcome: row.outcome,
      stages: [],
      dependencies: [],
      attributes:
        row.attributes === "{}" ? {} : parseStoredJson(row.attributes, `${what}: attributes`),
    };
  });
  const last = rows.at(-1);
  let next: RangeCursor | null = null;
  if (last !== undefined && rows.length === size) {
    next = open
      ? { phase: "open", endedAt: 0, seq: last.seq }
      : { phase: "ended", endedAt: last.ended_at ?? 0, seq: last.seq };
  } else if (open) {
    next = { phase: "ended", endedAt: range.endedFrom, seq: -1 };
  }
  return { attempts, next };
}
