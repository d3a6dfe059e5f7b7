import { type Kysely, type RawBuilder, sql } from "kysely";
import type { AttemptEventType } from "../../core/attempt/attempt-event.js";
import type { Database, NewEventRow } from "../schema.js";
import { allocateEventAndAttemptSeqs } from "./counters.js";

/** A row of foldRowsQuery: an event (kind 0), a record kept apart (1), a record-only row (2). */
export interface FoldRow {
  readonly kind: number;
  readonly attempt_id: string;
  readonly id: string;
  readonly type: AttemptEventType;
  readonly at: number | null;
  readonly body: string;
}

/**
 * The statements of event ingest (appendEvents), run inside its write transaction: through
 * Kysely on PostgreSQL, as reused prepared statements on SQLite, where building Kysely's
 * queries cost more than SQLite's own work (docs/decisions.md, "Cheaper writes").
 */
export interface EventStatements {
  /** Reserves sequence numbers; see allocateEventAndAttemptSeqs. */
  reserve(
    events: number,
    attempts: number,
  ): Promise<{ firstEventSeq: number; firstAttemptSeq: number }>;
  /** Inserts the rows whose id is not stored yet (at most 1,000) and returns their ids. */
  insertEvents(rows: readonly NewEventRow[]): Promise<string[]>;
  /** foldRowsQuery's rows for at most 1,000 attempts. */
  foldRows(attemptIds: readonly string[], firstSeq: number): Promise<FoldRow[]>;
}

/** The EventStatements of a dialect, on a transaction's db. */
export type BindEventStatements = (db: Kysely<Database>) => EventStatements;

/**
 * One read of everything folding `attemptIds` needs: every stored event of each, in the order
 * received; its record kept apart; and its id when its stored row came from a record alone
 * (no record kept, no event received before `firstSeq`), a record to keep apart from now on.
 */
export function foldRowsQuery(
  attemptIds: readonly string[],
  firstSeq: number,
): RawBuilder<FoldRow> {
  const ids = sql.join(attemptIds);
  return sql<FoldRow>`
    select 0 as kind, attempt_id, received_seq as seq, id, type, at, body from events
      where attempt_id in (${ids})
    union all
    select 1, attempt_id, 0, attempt_id, null, null, body from attempt_records
      where attempt_id in (${ids})
    union all
    select 2, a.id, 0, a.id, null, null, '' from attempts a where a.id in (${ids})
      and not exists (select 1 from attempt_records r where r.attempt_id = a.id)
      and not exists (
        select 1 from events e where e.attempt_id = a.id and e.received_seq < ${firstSeq}
      )
    order by 1, 3`;
}

/** The portable statements, through Kysely. */
export function kyselyEventStatements(db: Kysely<Database>): EventStatements {
  return {
    reserve: (events, attempts) => allocateEventAndAttemptSeqs(db, events, attempts),
    async insertEvents(rows) {
      const inserted = await db
        .insertInto("events")
        .values([...rows])
        .onConflict((oc) => oc.column("id").doNothing())
        .returning("id")
        .execute();
      return inserted.map((row) => row.id);
    },
    async foldRows(attemptIds, firstSeq) {
      return (await foldRowsQuery(attemptIds, firstSeq).execute(db)).rows;
    },
  };
}
