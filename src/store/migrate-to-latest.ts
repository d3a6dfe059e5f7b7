import { type Kysely, type MigrationResult, Migrator } from "kysely";
import { DeploysloError } from "../core/primitives/error-codes.js";
import { MIGRATIONS } from "./migrations/migrations.js";
import { StaticMigrationProvider } from "./migrations/static-migration-provider.js";
import type { Database } from "./schema.js";
import type { StoreDialect } from "./store-dialect.js";
import type { StoreLogger } from "./store-logger.js";
import { storeUnavailable } from "./store-unavailable.js";

/** A Migrator over every migration of this version, for `dialect`'s database. */
export function createMigrator(dialect: StoreDialect, db: Kysely<Database> = dialect.db): Migrator {
  return new Migrator({
    db,
    provider: new StaticMigrationProvider(MIGRATIONS),
    ...(dialect.migrationTableSchema === undefined
      ? {}
      : { migrationTableSchema: dialect.migrationTableSchema }),
  });
}

/**
 * Applies the migrations not applied yet, all or none; concurrent callers (other replicas,
 * other processes) wait for each other.
 */
export async function migrateToLatest(dialect: StoreDialect, logger?: StoreLogger): Promise<void> {
  let results: readonly MigrationResult[] = [];
  try {
    await dialect.runExclusive(async (db) => {
      const outcome = await createMigrator(dialect, db).migrateToLatest();
      results = outcome.results ?? [];
      if (outcome.error !== undefined) throw outcome.error;
    });
  } catch (error) {
    if (error instanceof DeploysloError) throw error;
    const failed = results.find((result) => result.status === "Error")?.migrationName;
    const which = failed === undefined ? "" : ` (migration ${failed})`;
    throw storeUnavailable(`cannot migrate ${dialect.description}${which}`, error);
  }
  for (const result of results) {
    if (result.status === "Success") {
      logger?.info(
        { database: dialect.description, migration: result.migrationName },
        "store: migrated",
      );
    }
  }
}
