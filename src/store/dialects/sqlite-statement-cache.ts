import type BetterSqlite3 from "better-sqlite3";
import type { SqliteDatabase } from "kysely";

/**
 * better-sqlite3 behind Kysely, reusing prepared statements: Kysely prepares every query it
 * runs, and compiling a 500-row insert costs about as much as running it. Least recently used
 * statements are dropped beyond `capacity`.
 */
export function sqliteStatementCache(
  database: BetterSqlite3.Database,
  capacity: number,
): SqliteDatabase {
  const statements = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => database.close(),
    prepare(sql) {
      let statement = statements.get(sql);
      if (statement === undefined) {
        statement = database.prepare(sql);
        if (statements.size >= capacity) {
          const oldest = statements.keys().next();
          if (oldest.done !== true) statements.delete(oldest.value);
        }
      } else {
        statements.delete(sql);
      }
      statements.set(sql, statement);
      return statement;
    },
  };
}
