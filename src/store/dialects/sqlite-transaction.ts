import type BetterSqlite3 from "better-sqlite3";
import type { Kysely } from "kysely";
import type { Database } from "../schema.js";
import type { StoreDialect } from "../store-dialect.js";

/**
 * StoreDialect.transaction on SQLite: holds Kysely's one connection (so no other query of this
 * process runs in between, as in Kysely's own transaction) and begins, commits or rolls back
 * with prepared statements. Kysely's transaction builds a Kysely instance and compiles `begin`
 * and `commit` on every call: a tenth of a single event's write (docs/decisions.md).
 */
export function sqliteTransaction(
  db: Kysely<Database>,
  database: BetterSqlite3.Database,
): StoreDialect["transaction"] {
  let statements: Record<"begin" | "commit" | "rollback", BetterSqlite3.Statement> | undefined;
  return (work) =>
    db.connection().execute(async (connection) => {
      statements ??= {
        begin: database.prepare("begin"),
        commit: database.prepare("commit"),
        rollback: database.prepare("rollback"),
      };
      statements.begin.run();
      try {
        const result = await work(connection);
        statements.commit.run();
        return result;
      } catch (error) {
        // SQLite may have rolled back already (after SQLITE_FULL, say); keep the first error.
        if (database.inTransaction) statements.rollback.run();
        throw error;
      }
    });
}
