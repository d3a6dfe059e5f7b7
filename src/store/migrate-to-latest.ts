import { Migrator } from "kysely";
import { DeploysloError } from "../core/error-codes.js";
import { MIGRATIONS } from "./migrations/migrations.js";
import { StaticMigrationProvider } from "./migrations/static-migration-provider.js";
import type { StoreDialect } from "./store-dialect.js";
import type { StoreLogger } from "./store-logger.js";
import { storeUnavailable } from "./store-unavailable.js";

/** A Migrator over every migration of this version, for `dialect`'s database. */
export function createMigrator(dialect: StoreDialect): Migrator {
  return new Migrator({
    db: dialect.db,
    provider: new StaticMigrationProvider(MIGRATIONS),
    ...(dialect.migrationTableSchema === undefined
      ? {}
      : { migrationTableSchema: dialect.migrationTableSchema }),
  });
}

/** Applies the migrations not applied yet; concurrent callers wait for each other. */
export async function migrateToLatest(dialect: StoreDialect, logger?: StoreLogger): Promise<void> {
  const { error, results = [] } = await createMigrator(dialect).migrateToLatest();
  for (const result of results) {
    if (result.status === "Success") {
      logger?.info(
        { location: dialect.location, migration: result.migrationName },
        "store: migrated",
      );
    }
  }
  if (error === undefined) return;
  if (error instanceof DeploysloError) throw error;
  const failed = results.find((result) => result.status === "Error")?.migrationName;
  throw storeUnavailable(
    `cannot migrate the ${dialect.location}${failed === undefined ? "" : ` (migration ${failed})`}`,
    error,
  );
}
