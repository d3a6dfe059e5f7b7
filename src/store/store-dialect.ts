import type { Kysely } from "kysely";
import type { WriteAttemptRows } from "./repositories/attempts.js";
import type { BindEventStatements } from "./repositories/event-statements.js";
import type { Database } from "./schema.js";
import type { Dialect } from "./store.js";

/**
 * Everything that differs between SQLite and PostgreSQL, behind one small interface
 * (dialects/sqlite.ts, dialects/postgres.ts). The rest of src/store is dialect-free.
 */
export interface StoreDialect {
  readonly name: Dialect;
  readonly db: Kysely<Database>;
  /**
   * Which database and where, for messages: "SQLite database /data/store.db",
   * "PostgreSQL at postgres://deployslo@db:5432/deployslo"; never a password.
   */
  readonly description: string;
  /**
   * True when `select … for update skip locked` exists (PostgreSQL): concurrent claimers then
   * take disjoint rows. SQLite has one writer at a time, so it needs no row locks.
   */
  readonly rowLocks: boolean;
  /** Schema of Kysely's migration tables, or undefined for the connection's default. */
  readonly migrationTableSchema: string | undefined;
  /**
   * The first statement of every write transaction: serialises writers so that sequence
   * numbers commit in increasing order.
   */
  lockWriters(trx: Kysely<Database>): Promise<void>;
  /**
   * Runs `work` in one transaction on the db it is given: committed when `work` resolves,
   * rolled back when it throws. Kysely's own on PostgreSQL; on SQLite a `begin` and a `commit`
   * of prepared statements on the connection Kysely holds for `work`, which costs less than
   * Kysely's transaction per single-event write (docs/decisions.md, "Cheaper writes").
   */
  transaction<T>(work: (trx: Kysely<Database>) => Promise<T>): Promise<T>;
  /**
   * True when a write transaction whose first statement updates the counters row is already
   * serialised by it, so that writes beginning with a reservation of sequence numbers (event
   * ingest) skip lockWriters: on SQLite the first statement that writes takes the database's
   * write lock. PostgreSQL's writers also serialise other tables, so it keeps its lock.
   */
  readonly countersLockWriters: boolean;
  /**
   * Runs `work` (the migrations) on a db that no other process migrates at the same time, and
   * rolls everything `work` did back when it throws.
   */
  runExclusive<T>(work: (db: Kysely<Database>) => Promise<T>): Promise<T>;
  /**
   * Writes attempt rows inside a write transaction, replacing rows with the same id: a
   * multi-row Kysely statement on PostgreSQL, one reused prepared statement on SQLite.
   */
  readonly writeAttemptRows: WriteAttemptRows;
  /** Event ingest's statements: Kysely's on PostgreSQL, prepared statements on SQLite. */
  readonly eventStatements: BindEventStatements;
  /** True for errors that mean "the database is not reachable or busy", not a bug. */
  isUnavailable(error: unknown): boolean;
}
