import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "pg";
import type { Dialect } from "../../src/store/store.js";

/** A fresh, empty database for one test: a SQLite file, or a PostgreSQL schema. */
export interface TestDatabase {
  /** What to pass to openStore. */
  readonly location: string;
  drop(): Promise<void>;
}

export interface TestDialect {
  readonly name: Dialect;
  /** Why this dialect cannot run here, or undefined when it can. */
  readonly unavailable: string | undefined;
  createDatabase(): Promise<TestDatabase>;
}

const POSTGRES_URL =
  process.env.DEPLOYSLO_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = "";
    return parsed.toString();
  } catch {
    return "(an invalid URL)";
  }
}

async function adminQuery(text: string): Promise<void> {
  const client = new Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

const sqlite: TestDialect = {
  name: "sqlite",
  unavailable: undefined,
  async createDatabase() {
    const dir = await mkdtemp(join(tmpdir(), "deployslo-store-"));
    return {
      location: join(dir, "store.db"),
      drop: () => rm(dir, { recursive: true, force: true }),
    };
  },
};

async function postgres(): Promise<TestDialect> {
  let unavailable: string | undefined;
  try {
    await adminQuery("select 1");
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    unavailable = `no server at ${withoutPassword(POSTGRES_URL)} (${reason})`;
  }
  return {
    name: "postgres",
    unavailable,
    async createDatabase() {
      // Its own schema per test: parallel test files and leftovers never meet.
      const schema = `t_${randomBytes(6).toString("hex")}`;
      await adminQuery(`create schema ${schema}`);
      const url = new URL(POSTGRES_URL);
      url.searchParams.set("options", `-c search_path=${schema}`);
      return {
        location: url.toString(),
        drop: () => adminQuery(`drop schema if exists ${schema} cascade`),
      };
    },
  };
}

/** The dialects every test/store suite runs against. */
export const DIALECTS: readonly TestDialect[] = [sqlite, await postgres()];

const postgresDialect = DIALECTS.find((dialect) => dialect.name === "postgres");
if (postgresDialect?.unavailable !== undefined && process.env.CI === undefined) {
  // Every test file imports this module; a marker per vitest run prints the notice once.
  const marker = join(tmpdir(), `deployslo-store-postgres-notice-${process.ppid}`);
  const first = await writeFile(marker, "", { flag: "wx" }).then(
    () => true,
    () => false,
  );
  if (first) {
    console.warn(
      `test/store: PostgreSQL tests skipped: ${postgresDialect.unavailable}; ` +
        "start PostgreSQL or set DEPLOYSLO_TEST_POSTGRES_URL",
    );
  }
}
