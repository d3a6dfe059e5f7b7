import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store.js";
import type { TestDatabase, TestDialect } from "./dialects.js";

/** A fresh database per test, and the stores a test opened on it, closed after it. */
export interface DialectContext {
  readonly dialect: TestDialect;
  /** Location of this test's database. */
  location(): string;
  /** Opens (and migrates) a store on this test's database; several may be open at once. */
  open(): Promise<Store>;
}

/**
 * describe(dialect.name, …) with a fresh database per test. A dialect without a server is
 * skipped with the reason in the suite's name, except in CI, where it is a failing test.
 */
export function describeDialect(
  dialect: TestDialect,
  body: (context: DialectContext) => void,
): void {
  if (dialect.unavailable !== undefined && process.env.CI !== undefined) {
    describe(dialect.name, () => {
      it("has a server to test against", () => {
        expect.fail(
          `PostgreSQL is required in CI: ${dialect.unavailable}. ` +
            "Start it (see .ci/run) or set DEPLOYSLO_TEST_POSTGRES_URL.",
        );
      });
    });
    return;
  }
  const suite = dialect.unavailable === undefined ? describe : describe.skip;
  const name =
    dialect.unavailable === undefined
      ? dialect.name
      : `${dialect.name} (skipped: ${dialect.unavailable}; set DEPLOYSLO_TEST_POSTGRES_URL)`;
  suite(name, () => {
    let database: TestDatabase | undefined;
    let stores: Store[] = [];
    beforeEach(async () => {
      database = await dialect.createDatabase();
    });
    afterEach(async () => {
      await Promise.allSettled(stores.map((store) => store.close()));
      stores = [];
      await database?.drop();
      database = undefined;
    });
    const location = (): string => {
      if (database === undefined) throw new Error("no test database outside a test");
      return database.location;
    };
    body({
      dialect,
      location,
      async open() {
        const store = await openStore(location());
        stores.push(store);
        return store;
      },
    });
  });
}
