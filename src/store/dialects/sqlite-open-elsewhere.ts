import { existsSync } from "node:fs";
import { resolve } from "node:path";
import SqliteDatabase from "better-sqlite3";

/** Long enough to ride out another connection's short write, short enough not to stall start. */
const WAIT_MS = 250;

/**
 * Whether another connection (another process, or this one) has the SQLite file at `path`
 * open. A connection in WAL mode holds a shared lock on the file for as long as it is open, so
 * an exclusive lock can be had only when no one else has it. A missing file is open nowhere.
 * Synchronous and brief: it waits at most WAIT_MS.
 */
export function sqliteOpenElsewhere(path: string): boolean {
  if (path === ":memory:") return false;
  const location = resolve(path);
  if (!existsSync(location)) return false;
  const database = new SqliteDatabase(location, { fileMustExist: true });
  try {
    database.pragma(`busy_timeout = ${WAIT_MS}`);
    database.pragma("locking_mode = EXCLUSIVE");
    database.exec("begin exclusive; commit");
    return false;
  } catch (error) {
    if (/^SQLITE_(BUSY|LOCKED)/.test(String((error as { code?: unknown }).code))) return true;
    throw error;
  } finally {
    database.close();
  }
}
