import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NO_MIGRATIONS, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPostgres } from "../../src/store/dialects/postgres.js";
import { openSqlite } from "../../src/store/dialects/sqlite.js";
import { createMigrator, migrateToLatest } from "../../src/store/migrate-to-latest.js";
import { MIGRATIONS } from "../../src/store/migrations/migrations.js";
import { openStore } from "../../src/store/open-store.js";
import type { StoreDialect } from "../../src/store/store-dialect.js";
import type { StoreLogger } from "../../src/store/store-logger.js";
import { makeAttempt } from "../support/make-attempt.js";
import { describeDialect } from "./describe-dialect.js";
import { DIALECTS } from "./dialects.js";

function recordingLogger(): StoreLogger & { messages: string[] } {
  const messages: string[] = [];
  return {
    messages,
    info: (_fields, message) => messages.push(message),
    warn: (_fields, message) => messages.push(message),
  };
}

async function tableNames(dialect: StoreDialect): Promise<string[]> {
  const tables = await dialect.db.introspection.getTables();
  return tables
    .filter(
      (table) =>
        dialect.migrationTableSchema === undefined || table.schema === dialect.migrationTableSchema,
    )
    .map((table) => table.name)
    .sort();
}

for (const dialect of DIALECTS) {
  describeDialect(dialect, (db) => {
    it("migrates once: opening an up-to-date database changes nothing", async () => {
      const logger = recordingLogger();
      const first = await openStore(db.location(), { logger });
      expect(logger.messages).toEqual(Object.keys(MIGRATIONS).map(() => "store: migrated"));
      await first.upsertAttempts([makeAttempt({ id: "kept" })]);
      await first.close();

      const again = recordingLogger();
      const second = await openStore(db.location(), { logger: again });
      expect(again.messages).toEqual([]);
      expect((await second.getAttempt("kept"))?.id).toBe("kept");
      await second.close();
    });

    // Two replicas starting at once. Within one process a SQLite file is opened once (see
    // src/store/dialects/sqlite.ts); between processes busy_timeout and an immediate transaction apply.
    it.runIf(dialect.name === "postgres")("migrates from two stores opening at once", async () => {
      const [a, b] = await Promise.all([db.open(), db.open()]);
      await a?.upsertAttempts([makeAttempt({ id: "shared" })]);
      expect((await b?.getAttempt("shared"))?.id).toBe("shared");
    });

    it("keeps data and seq across close and reopen", async () => {
      const store = await db.open();
      await store.upsertAttempts([makeAttempt({ id: "a" }), makeAttempt({ id: "b" })]);
      const [, last] = await store.changesSince(0, 10);
      await store.close();
      const reopened = await db.open();
      expect((await reopened.getAttempt("b"))?.id).toBe("b");
      await reopened.upsertAttempts([makeAttempt({ id: "c" })]);
      const changes = await reopened.changesSince(last?.seq ?? 0, 10);
      expect(changes.map((change) => change.attempt.id)).toEqual(["c"]);
    });

    it("migrates down to nothing and up again", async () => {
      const opened =
        dialect.name === "sqlite" ? openSqlite(db.location()) : await openPostgres(db.location());
      try {
        await migrateToLatest(opened);
        expect(await tableNames(opened)).toEqual(
          expect.arrayContaining(["attempts", "counters", "events", "notification_outbox"]),
        );
        const down = await createMigrator(opened).migrateTo(NO_MIGRATIONS);
        expect(down.error).toBeUndefined();
        expect(await tableNames(opened)).toEqual([]);
        await migrateToLatest(opened);
        const counters = await sql<{ n: number }>`select count(*) as n from counters`.execute(
          opened.db,
        );
        expect(Number(counters.rows[0]?.n)).toBe(1);
      } finally {
        await opened.db.destroy();
      }
    });

    it("answers ping while open, not after close; close twice is fine", async () => {
      const store = await openStore(db.location());
      expect(store.dialect).toBe(dialect.name);
      expect(await store.ping()).toBe(true);
      await store.close();
      await store.close();
      expect(await store.ping()).toBe(false);
    });

    if (dialect.name === "postgres") {
      it("accepts postgresql:// as well as postgres://", async () => {
        const store = await openStore(db.location().replace(/^postgres:/, "postgresql:"));
        expect(await store.ping()).toBe(true);
        await store.close();
      });

      it("names the database that does not exist, without the password", async () => {
        const url = new URL(db.location());
        url.password = "s3cret-pw";
        url.pathname = "/no_such_database_here";
        const error = await openStore(url.toString()).catch((caught: unknown) => caught);
        expect(error).toMatchObject({ code: "STORE_UNAVAILABLE" });
        expect(String(error)).toContain("/no_such_database_here");
        expect(String(error)).not.toContain("s3cret-pw");
      });
    }
  });
}

describe("openStore on a location it cannot use", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "deployslo-open-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function failure(location: string): Promise<unknown> {
    return openStore(location).then(
      async (store) => {
        await store.close();
        return undefined;
      },
      (error: unknown) => error,
    );
  }

  it("creates the folder of a SQLite file, and opens :memory:", async () => {
    const nested = await openStore(join(dir, "a", "b", "store.db"));
    expect(await nested.ping()).toBe(true);
    await nested.close();
    const memory = await openStore(":memory:");
    await memory.upsertAttempts([makeAttempt({ id: "m" })]);
    expect((await memory.getAttempt("m"))?.id).toBe("m");
    await memory.close();
  });

  it("reports a SQLite path under a file, a folder, or a file that is not a database", async () => {
    const file = join(dir, "plain.txt");
    await writeFile(file, "this is not a database, but it is long enough to look like a header");
    for (const location of [join(file, "store.db"), dir, file]) {
      const error = await failure(location);
      expect(error, location).toMatchObject({ name: "DeploysloError", code: "STORE_UNAVAILABLE" });
      expect(String(error)).toContain(location);
    }
  });

  it.runIf(existsSync("/proc/self"))(
    "reports a folder that cannot be created under /proc instead of hanging",
    async () => {
      const location = "/proc/deployslo-nope/store.db";
      const error = await failure(location);
      expect(error).toMatchObject({ name: "DeploysloError", code: "STORE_UNAVAILABLE" });
      expect(String(error)).toContain("/proc/deployslo-nope");
    },
  );

  it("reports an empty location", async () => {
    expect(await failure("  ")).toMatchObject({ code: "STORE_UNAVAILABLE" });
  });

  it("reports an invalid PostgreSQL URL without echoing it", async () => {
    const error = await failure("postgres://user:s3cret-pw@[not-a-host/db");
    expect(error).toMatchObject({ code: "STORE_UNAVAILABLE" });
    expect(String(error)).toContain("PostgreSQL URL is not valid");
    expect(String(error)).not.toContain("s3cret-pw");
  });

  it("reports an unreachable PostgreSQL server with where, without the password", async () => {
    const error = await failure("postgres://deployslo:s3cret-pw@127.0.0.1:1/deployslo");
    expect(error).toMatchObject({ code: "STORE_UNAVAILABLE" });
    expect(String(error)).toContain("postgres://deployslo@127.0.0.1:1/deployslo");
    expect(String(error)).not.toContain("s3cret-pw");
  });
});
