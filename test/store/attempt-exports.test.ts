import { expect, it } from "vitest";
import type { Store } from "../../src/store/store.js";
import { MINUTE, makeAttempt, T0 } from "../support/make-attempt.js";
import { describeDialect } from "./describe-dialect.js";
import { DIALECTS } from "./dialects.js";

const LEASE = "otlp-export";
const EXPORTER = "otlp";

async function hold(store: Store, owner: string, now = T0): Promise<boolean> {
  return store.acquireLease({ name: LEASE, owner, now, leaseMs: MINUTE });
}

function record(owner: string, cursor: number, ids: readonly string[]) {
  return {
    exporter: EXPORTER,
    lease: LEASE,
    owner,
    cursor,
    at: T0,
    exports: ids.map((attemptId) => ({ attemptId, status: "exported" as const, detail: null })),
  };
}

for (const dialect of DIALECTS) {
  describeDialect(dialect, (db) => {
    it("starts an exporter's cursor at the latest attempt change, not at the history", async () => {
      const store = await db.open();
      await store.upsertAttempts([makeAttempt({ id: "old-1" }), makeAttempt({ id: "old-2" })]);
      const [latest] = (await store.changesSince(0, 10)).slice(-1);
      const cursor = await store.exportCursor(EXPORTER);
      expect(cursor).toBe(latest?.seq);
      await store.upsertAttempts([makeAttempt({ id: "new" })]);
      expect(await store.exportCursor(EXPORTER)).toBe(cursor);
      expect((await store.changesSince(cursor, 10)).map((c) => c.attempt.id)).toEqual(["new"]);
      expect(await store.exportCursor("another")).toBe(cursor + 1);
    });

    it("records each attempt once and moves the cursor forward only", async () => {
      const store = await db.open();
      expect(await store.exportCursor(EXPORTER)).toBe(0);
      expect(await hold(store, "a")).toBe(true);
      expect(await store.recordAttemptExports(record("a", 7, ["x", "y"]))).toBe(true);
      expect(await store.recordAttemptExports(record("a", 5, ["y", "z"]))).toBe(true);
      expect(await store.exportCursor(EXPORTER)).toBe(7);
      expect([...(await store.exportedAttempts(EXPORTER, ["x", "y", "z", "w"]))].sort()).toEqual([
        "x",
        "y",
        "z",
      ]);
      expect(await store.exportedAttempts("another", ["x"])).toEqual(new Set());
      expect(await store.exportedAttempts(EXPORTER, [])).toEqual(new Set());
    });

    it("writes nothing for an owner that lost the lease", async () => {
      const store = await db.open();
      const other = await db.open();
      expect(await hold(store, "a")).toBe(true);
      expect(await hold(other, "b", T0 + 2 * MINUTE)).toBe(true);
      expect(await store.recordAttemptExports(record("a", 3, ["x"]))).toBe(false);
      expect(await other.exportedAttempts(EXPORTER, ["x"])).toEqual(new Set());
      expect(await other.exportCursor(EXPORTER)).toBe(0);
      expect(await other.recordAttemptExports(record("b", 3, ["x"]))).toBe(true);
      expect(await store.exportedAttempts(EXPORTER, ["x"])).toEqual(new Set(["x"]));
    });

    it("keeps exports and cursor across a reopen", async () => {
      const store = await db.open();
      await hold(store, "a");
      await store.recordAttemptExports({
        ...record("a", 4, []),
        exports: [{ attemptId: "bad", status: "rejected", detail: "HTTP 400: invalid span" }],
      });
      await store.close();
      const reopened = await db.open();
      expect(await reopened.exportCursor(EXPORTER)).toBe(4);
      expect(await reopened.exportedAttempts(EXPORTER, ["bad"])).toEqual(new Set(["bad"]));
    });
  });
}
