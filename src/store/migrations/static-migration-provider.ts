import type { Migration, MigrationProvider } from "kysely";

/** Hands Kysely's Migrator migrations imported at build time instead of reading a folder. */
export class StaticMigrationProvider implements MigrationProvider {
  readonly #migrations: Readonly<Record<string, Migration>>;

  constructor(migrations: Readonly<Record<string, Migration>>) {
    this.#migrations = migrations;
  }

  async getMigrations(): Promise<Record<string, Migration>> {
    return { ...this.#migrations };
  }
}
