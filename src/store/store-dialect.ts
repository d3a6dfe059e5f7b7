import type { Kysely, Transaction } from "kysely";
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
  lockWriters(trx: Transaction<Database>): Promise<void>;
  /**
   * Runs `work` (the migrations) on a db that no other process migrates at the same time, and
   * rolls everything `work` did back when it throws.
   */
  runExclusive<T>(work: (db: Kysely<Database>) => Promise<T>): Promise<T>;
  /** True for errors that mean "the database is not reachable or busy", not a bug. */
  isUnavailable(error: unknown): boolean;
}
