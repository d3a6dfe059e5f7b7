import { DeploysloError } from "../core/primitives/error-codes.js";
import { DEFAULT_QUERY_TIMEOUT_MS, openPostgres } from "./dialects/postgres.js";
import { openSqlite } from "./dialects/sqlite.js";
import { KyselyStore } from "./kysely-store.js";
import { migrateToLatest } from "./migrate-to-latest.js";
import type { Store } from "./store.js";
import type { StoreDialect } from "./store-dialect.js";
import type { StoreLogger } from "./store-logger.js";

export interface OpenStoreOptions {
  readonly logger?: StoreLogger;
  /**
   * PostgreSQL: the longest one query may run, lock waits included, before it fails as
   * STORE_UNAVAILABLE (default DEFAULT_QUERY_TIMEOUT_MS; 0: no limit). SQLite runs in-process
   * and ignores it.
   */
  readonly queryTimeoutMs?: number;
}

export { DEFAULT_QUERY_TIMEOUT_MS };

const POSTGRES_URL = /^postgres(ql)?:\/\//i;

/** Whether `location` names a PostgreSQL database rather than a SQLite file. */
export function isPostgresUrl(location: string): boolean {
  return POSTGRES_URL.test(location);
}

/**
 * Opens the store at `location` and migrates it to this version's schema: a `postgres://` or
 * `postgresql://` URL for PostgreSQL, anything else a SQLite file path (created with its
 * folder if missing; ":memory:" for a private in-memory database).
 * Throws DeploysloError STORE_UNAVAILABLE when the database cannot be opened or migrated.
 *
 * @example const store = await openStore("postgres://deployslo:secret@db:5432/deployslo");
 * @example const store = await openStore(".deployslo/store.db");
 */
export async function openStore(location: string, options: OpenStoreOptions = {}): Promise<Store> {
  if (location.trim() === "") {
    throw new DeploysloError(
      "STORE_UNAVAILABLE",
      "no store location given: pass a file path or a postgres:// URL",
    );
  }
  const dialect: StoreDialect = isPostgresUrl(location)
    ? await openPostgres(location, options.logger, {
        queryTimeoutMs: options.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS,
      })
    : openSqlite(location, options.logger);
  try {
    await migrateToLatest(dialect, options.logger);
  } catch (error) {
    await dialect.db.destroy();
    throw error;
  }
  return new KyselyStore(dialect);
}
