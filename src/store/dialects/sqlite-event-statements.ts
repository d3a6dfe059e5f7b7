import type BetterSqlite3 from "better-sqlite3";
import type { SqliteDatabase } from "kysely";
import {
  type BindEventStatements,
  type FoldRow,
  foldRowsQuery,
} from "../repositories/event-statements.js";

/**
 * Event ingest's statements as prepared statements run on the connection Kysely's transaction
 * holds (better-sqlite3 is synchronous, so nothing else runs in between), as
 * sqliteAttemptRowWriter does for attempt rows. The fold's read is the portable query, compiled
 * by Kysely once per count of ids and prepared once per text by `statements`.
 */
/** Read texts kept, one per count of attempts (single events use the first). */
const FOLD_TEXTS = 16;

export function sqliteEventStatements(
  database: BetterSqlite3.Database,
  statements: SqliteDatabase,
): BindEventStatements {
  let reserve: BetterSqlite3.Statement<
    [number, number],
    { event_seq: number; attempt_seq: number }
  >;
  let insert: BetterSqlite3.Statement<unknown[]>;
  // The fold's read differs only in how many ids it takes: its text is compiled once per count.
  const foldTexts = new Map<number, string>();
  return (db) => ({
    async reserve(events, attempts) {
      reserve ??= database.prepare(
        "update counters set event_seq = event_seq + ?, attempt_seq = attempt_seq + ? where id = 1 returning event_seq, attempt_seq",
      );
      const row = reserve.get(events, attempts);
      if (row === undefined) throw new Error("the counters row is missing");
      return {
        firstEventSeq: row.event_seq - events + 1,
        firstAttemptSeq: row.attempt_seq - attempts + 1,
      };
    },
    async insertEvents(rows) {
      insert ??= database.prepare(
        "insert into events (id, attempt_id, type, at, body, received_seq) values (?, ?, ?, ?, ?, ?) on conflict (id) do nothing",
      );
      const inserted: string[] = [];
      for (const row of rows) {
        const { changes } = insert.run(
          row.id,
          row.attempt_id,
          row.type,
          row.at ?? null,
          row.body,
          row.received_seq,
        );
        if (changes === 1) inserted.push(row.id);
      }
      return inserted;
    },
    async foldRows(attemptIds, firstSeq) {
      let text = foldTexts.get(attemptIds.length);
      if (text === undefined) {
        text = foldRowsQuery(attemptIds, firstSeq).compile(db).sql;
        if (foldTexts.size < FOLD_TEXTS) foldTexts.set(attemptIds.length, text);
      }
      // The query's parameters in order: the ids three times, then firstSeq.
      const parameters = [...attemptIds, ...attemptIds, ...attemptIds, firstSeq];
      return statements.prepare(text).all(parameters) as FoldRow[];
    },
  });
}
