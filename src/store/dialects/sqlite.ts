import { dirname, resolve } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { Kysely, SqliteDialect, sql } from "kysely";
import { makeFolder } from "../make-folder.js";
import type { Database } from "../schema.js";
import type { StoreDialect } from "../store-dialect.js";
import type { StoreLogger } from "../store-logger.js";
import { errorCode, storeUnavailable } from "../store-unavailable.js";
import { sqliteAttemptRowWriter } from "./sqlite-attempt-row-writer.js";
import { sqliteEventStatements } from "./sqlite-event-statements.js";
import { sqliteStatementCache } from "./sqlite-statement-cache.js";
import { sqliteTransaction } from "./sqlite-transaction.js";

/** How long a writer waits for another process's write transaction before failing. */
const BUSY_TIMEOUT_MS = 5_000;
const STATEMENT_CACHE_SIZE = 64;
const UNAVAILABLE_CODES =
  /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|READONLY|PERM|AUTH|NOTADB|CORRUPT|PROTOCOL)/;

/**
 * Opens (creating it and its folder if needed) a SQLite file with better-sqlite3.
 * ":memory:" gives a private in-memory database. Several processes may share one file;
 * within one process open a file once: better-sqlite3 is synchronous, so a second connection
 * waiting for the first one's lock would block the event loop that has to release it.
 */
export function openSqlite(path: string, logger?: StoreLogger): StoreDialect {
  const memory = path === ":memory:";
  const location = memory ? path : resolve(path);
  const description = `SQLite database ${location}`;
  if (!memory) {
    try {
      makeFolder(dirname(location));
    } catch (error) {
      throw storeUnavailable(`cannot create the folder of ${description}`, error);
    }
  }
  let database: SqliteDatabase.Database;
  try {
    database = new SqliteDatabase(location);
  } catch (error) {
    throw storeUnavailable(`cannot open ${description}`, error);
  }
  try {
    const mode = database.pragma("journal_mode = WAL", { simple: true });
    if (mode !== "wal" && !memory) {
      logger?.warn(
        { database: description, journalMode: mode },
        "store: SQLite could not switch to WAL",
      );
    }
    // In WAL mode NORMAL survives a crash of this process (the WAL is in the OS page cache),
    // but not of the machine: it only fsyncs at checkpoints, so a power loss can undo
    // transactions we already acknowledged. FULL fsyncs the WAL at every commit; batched
    // writes keep that to one fsync per request.
    database.pragma("synchronous = FULL");
    database.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    database.pragma("foreign_keys = ON");
    // Fails now rather than at the first write when the file is read-only.
    database.exec("begin immediate; rollback");
  } catch (error) {
    database.close();
    throw storeUnavailable(`cannot open ${description}`, error);
  }
  const statements = sqliteStatementCache(database, STATEMENT_CACHE_SIZE);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: statements }) });
  return Object.freeze({
    name: "sqlite",
    db,
    description,
    rowLocks: false,
    migrationTableSchema: undefined,
    writeAttemptRows: sqliteAttemptRowWriter(database),
    countersLockWriters: true,
    eventStatements: sqliteEventStatements(database, statements),
    transaction: sqliteTransaction(db, database),
    async lockWriters(trx) {
      // Kysely opens a deferred transaction; a first statement that writes takes the write
      // lock now, waiting up to busy_timeout, instead of failing with SQLITE_BUSY when a
      // read-then-write transaction finds that another process wrote in between.
      await trx
        .updateTable("counters")
        .set((eb) => ({ attempt_seq: eb.ref("attempt_seq") }))
        .where("id", "=", 1)
        .execute();
    },
    runExclusive(work) {
      // Kysely's SQLite migrator neither locks nor uses a transaction; SQLite's DDL is
      // transactional, so one immediate transaction makes migrating atomic and exclusive.
      return db.connection().execute(async (connection) => {
        await sql`begin immediate`.execute(connection);
        try {
          const result = await work(connection);
          await sql`commit`.execute(connection);
          return result;
        } catch (error) {
          // SQLite may have rolled back already (after SQLITE_FULL, say); keep the first error.
          await sql`rollback`.execute(connection).catch(() => undefined);
          throw error;
        }
      });
    },
    isUnavailable(error) {
      return UNAVAILABLE_CODES.test(errorCode(error) ?? "");
    },
  } satisfies StoreDialect);
}
