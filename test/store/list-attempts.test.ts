import { expect, it } from "vitest";
import type { Attempt } from "../../src/core/attempt/attempt.js";
import type { AttemptFilter, Store } from "../../src/store/store.js";
import { HOUR, makeAttempt, T0 } from "../support/make-attempt.js";
import { describeDialect } from "./describe-dialect.js";
import { DIALECTS } from "./dialects.js";

const attempts: readonly Attempt[] = [
  makeAttempt({ id: "a1", model: "fraud", version: "1", environment: "production", startedAt: T0 }),
  makeAttempt({
    id: "a2",
    model: "fraud",
    version: "2",
    environment: "staging",
    startedAt: T0 + HOUR,
    servingAt: T0 + HOUR + 1,
    endedAt: T0 + HOUR + 1,
    outcome: "succeeded",
  }),
  makeAttempt({
    id: "a3",
    model: "churn",
    version: "1",
    environment: "production",
    startedAt: T0 + 2 * HOUR,
    endedAt: T0 + 3 * HOUR,
    outcome: "failed",
  }),
  makeAttempt({
    id: "a4",
    model: "churn",
    version: "2",
    environment: "staging",
    startedAt: T0 + 3 * HOUR,
  }),
];

async function ids(store: Store, filter: AttemptFilter): Promise<string[]> {
  const page = await store.listAttempts(filter, { limit: 100 });
  expect(page.nextCursor).toBeNull();
  return page.attempts.map((attempt) => attempt.id);
}

/** Every attempt, page after page. */
async function listAll(store: Store, limit: number): Promise<{ ids: string[]; pages: number }> {
  const all: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await store.listAttempts({}, cursor === undefined ? { limit } : { limit, cursor });
    pages++;
    all.push(...page.attempts.map((attempt) => attempt.id));
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined && pages < 1_000);
  return { ids: all, pages };
}

for (const dialect of DIALECTS) {
  describeDialect(dialect, (db) => {
    it("lists newest first and filters by each field", async () => {
      const store = await db.open();
      await store.upsertAttempts(attempts);
      expect(await ids(store, {})).toEqual(["a4", "a3", "a2", "a1"]);
      expect(await ids(store, { model: "fraud" })).toEqual(["a2", "a1"]);
      expect(await ids(store, { version: "2" })).toEqual(["a4", "a2"]);
      expect(await ids(store, { environment: "production" })).toEqual(["a3", "a1"]);
      expect(await ids(store, { outcome: "in_progress" })).toEqual(["a4", "a1"]);
      expect(await ids(store, { outcome: "failed" })).toEqual(["a3"]);
      expect(await ids(store, { from: T0 + HOUR })).toEqual(["a4", "a3", "a2"]);
      expect(await ids(store, { to: T0 + 2 * HOUR })).toEqual(["a2", "a1"]);
      expect(await ids(store, { from: T0 + HOUR, to: T0 + 3 * HOUR, model: "churn" })).toEqual([
        "a3",
      ]);
      expect(await ids(store, { model: "nobody" })).toEqual([]);
      await expect(store.listAttempts({ from: T0 + 0.5 }, { limit: 10 })).rejects.toMatchObject({
        name: "StoreError",
        kind: "invalid-argument",
        argument: "from",
      });
    });

    it("returns full attempts in pages", async () => {
      const store = await db.open();
      await store.upsertAttempts(attempts);
      const page = await store.listAttempts({ environment: "staging" }, { limit: 1 });
      expect(page.attempts).toEqual([attempts[3]]);
      expect(page.nextCursor).toEqual(expect.any(String));
    });

    it("pages through equal startedAt without duplicates or gaps", async () => {
      const store = await db.open();
      // 3 instants, 25 attempts each: page boundaries fall inside runs of equal startedAt.
      const many = Array.from({ length: 75 }, (_, i) =>
        makeAttempt({ id: `p-${String(i).padStart(3, "0")}`, startedAt: T0 + (i % 3) * HOUR }),
      );
      await store.upsertAttempts(many);
      const expected = [...many]
        .sort((x, y) => y.startedAt - x.startedAt || (x.id < y.id ? 1 : -1))
        .map((attempt) => attempt.id);
      for (const limit of [1, 7, 25, 74, 75, 1000]) {
        const { ids: listed, pages } = await listAll(store, limit);
        expect(listed, `limit ${limit}`).toEqual(expected);
        expect(pages, `limit ${limit}`).toBe(Math.max(1, Math.ceil(75 / limit)));
      }
    });

    it("sees attempts written between pages in their place", async () => {
      const store = await db.open();
      await store.upsertAttempts(attempts);
      const first = await store.listAttempts({}, { limit: 2 });
      await store.upsertAttempts([
        makeAttempt({ id: "newest", startedAt: T0 + 9 * HOUR }),
        makeAttempt({ id: "a0", startedAt: T0 - HOUR }),
      ]);
      const second = await store.listAttempts({}, { limit: 10, cursor: first.nextCursor ?? "" });
      expect(second.attempts.map((attempt) => attempt.id)).toEqual(["a2", "a1", "a0"]);
    });

    it("clamps the limit to 1..1000", async () => {
      const store = await db.open();
      await store.upsertAttempts(attempts);
      expect((await store.listAttempts({}, { limit: 0 })).attempts).toHaveLength(1);
      expect((await store.listAttempts({}, { limit: 2.9 })).attempts).toHaveLength(2);
      const many = Array.from({ length: 1_001 }, (_, i) => makeAttempt({ id: `m-${i}` }));
      await store.upsertAttempts(many);
      const page = await store.listAttempts({}, { limit: 5_000 });
      expect(page.attempts).toHaveLength(1_000);
      expect(page.nextCursor).not.toBeNull();
    });

    it("rejects a cursor it did not make with a StoreError", async () => {
      const store = await db.open();
      for (const cursor of [
        "",
        "not a cursor",
        "bm9wZQ",
        Buffer.from('[1.5,"a"]').toString("base64url"),
      ]) {
        await expect(store.listAttempts({}, { limit: 10, cursor })).rejects.toMatchObject({
          name: "StoreError",
          kind: "invalid-argument",
          argument: "cursor",
          message: expect.stringContaining("cursor is not valid"),
        });
      }
    });
  });
}
