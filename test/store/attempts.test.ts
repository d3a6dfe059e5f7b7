import { expect, it } from "vitest";
import type { Attempt } from "../../src/core/attempt/attempt.js";
import { encodeAttempt } from "../../src/store/attempt-row.js";
import { MINUTE, makeAttempt, makeStage, SECOND, T0 } from "../support/make-attempt.js";
import { describeDialect } from "./describe-dialect.js";
import { DIALECTS } from "./dialects.js";

function fullAttempt(id: string): Attempt {
  return {
    id,
    model: "fraud-detector",
    version: "2024.10.3",
    environment: "production",
    labels: { team: "risk", region: "eu-west-1", ünïcode: "✓" },
    startedAt: T0 + 1,
    servingAt: T0 + 4 * MINUTE + 123,
    endedAt: null,
    outcome: "in_progress",
    stages: [
      makeStage({
        name: "validate",
        startedAt: T0 + 7,
        endedAt: T0 + 2 * SECOND + 999,
        status: "succeeded",
        attributes: { retries: 2, cached: true, node: "n-1" },
      }),
      makeStage({ name: "approval", startedAt: T0 + 3 * SECOND, kind: "wait" }),
    ],
    dependencies: [
      { name: "image_pull", seconds: 12.345, at: T0 + 5 * SECOND, attributes: { registry: "ecr" } },
      { name: "registry_pull", seconds: 0.5, at: null, attributes: {} },
    ],
    attributes: { pipeline: "github-actions", run: 1234, dryRun: false, ratio: 0.25 },
  };
}

for (const dialect of DIALECTS) {
  describeDialect(dialect, (db) => {
    it("stores and returns an attempt unchanged: stages, dependencies, nulls, milliseconds", async () => {
      const store = await db.open();
      const attempt = fullAttempt("att-full");
      await store.upsertAttempts([attempt]);
      expect(await store.getAttempt("att-full")).toEqual(attempt);
      expect(await store.getAttempt("att-missing")).toBeUndefined();
    });

    it("reads rows whose stages and samples were stored as objects, as earlier versions did", async () => {
      const store = await db.open();
      const attempt = fullAttempt("att-objects");
      const current = encodeAttempt(attempt);
      expect(JSON.parse(current.stages)[0]).toEqual([
        "validate",
        T0 + 7,
        T0 + 2 * SECOND + 999,
        "succeeded",
        "active",
        { retries: 2, cached: true, node: "n-1" },
      ]);
      await store.upsertEncodedAttempts([
        {
          ...current,
          stages: JSON.stringify(attempt.stages),
          dependencies: JSON.stringify(attempt.dependencies),
        },
      ]);
      expect(await store.getAttempt("att-objects")).toEqual(attempt);
      const [change] = await store.changesSince(0, 10);
      expect(change?.attempt).toEqual(attempt);
    });

    it("replaces an attempt by id and counts inserted and updated", async () => {
      const store = await db.open();
      const first = makeAttempt({ id: "a" });
      expect(await store.upsertAttempts([first, makeAttempt({ id: "b" })])).toEqual({
        inserted: 2,
        updated: 0,
      });
      const finished = {
        ...first,
        servingAt: T0 + MINUTE,
        endedAt: T0 + MINUTE,
        outcome: "succeeded" as const,
      };
      expect(await store.upsertAttempts([finished, makeAttempt({ id: "c" })])).toEqual({
        inserted: 1,
        updated: 1,
      });
      expect(await store.getAttempt("a")).toEqual(finished);
      expect(await store.upsertAttempts([])).toEqual({ inserted: 0, updated: 0 });
    });

    it("keeps the last of repeated ids in one call and counts the id once", async () => {
      const store = await db.open();
      const versions = ["1", "2", "3"].map((version) => makeAttempt({ id: "dup", version }));
      expect(await store.upsertAttempts(versions)).toEqual({ inserted: 1, updated: 0 });
      expect((await store.getAttempt("dup"))?.version).toBe("3");
      const changes = await store.changesSince(0, 10);
      expect(changes.map((change) => change.attempt.version)).toEqual(["3"]);
    });

    it("gives every write a higher seq and returns changes after a seq in order", async () => {
      const store = await db.open();
      await store.upsertAttempts([makeAttempt({ id: "a" }), makeAttempt({ id: "b" })]);
      await store.upsertAttempts([makeAttempt({ id: "c" })]);
      await store.upsertAttempts([makeAttempt({ id: "a", version: "2" })]);

      const all = await store.changesSince(0, 100);
      expect(all.map((change) => change.attempt.id)).toEqual(["b", "c", "a"]);
      const seqs = all.map((change) => change.seq);
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
      expect(new Set(seqs).size).toBe(seqs.length);
      expect(all.at(-1)?.attempt.version).toBe("2");

      const [firstChange] = all;
      const after = await store.changesSince(firstChange?.seq ?? 0, 100);
      expect(after.map((change) => change.attempt.id)).toEqual(["c", "a"]);
      expect((await store.changesSince(0, 1)).map((change) => change.attempt.id)).toEqual(["b"]);
      expect(await store.changesSince(all.at(-1)?.seq ?? 0, 100)).toEqual([]);
    });

    it("stores a large batch in several statements", async () => {
      const store = await db.open();
      const attempts = Array.from({ length: 2_345 }, (_, i) =>
        makeAttempt({ id: `bulk-${String(i).padStart(5, "0")}`, startedAt: T0 + i }),
      );
      expect(await store.upsertAttempts(attempts)).toEqual({ inserted: 2_345, updated: 0 });
      expect(await store.upsertAttempts(attempts)).toEqual({ inserted: 0, updated: 2_345 });
      const changes = await store.changesSince(0, 10_000);
      expect(changes).toHaveLength(2_345);
      expect(changes[1_234]?.attempt).toEqual(attempts[1_234]);
    });

    it("rejects a time that is not whole milliseconds, and stores nothing of the call", async () => {
      const store = await db.open();
      const bad = makeAttempt({ id: "bad", startedAt: T0 + 0.5 });
      await expect(store.upsertAttempts([makeAttempt({ id: "good" }), bad])).rejects.toMatchObject({
        code: "RECORD_INVALID",
        message: expect.stringContaining('attempt "bad": startedAt'),
      });
      expect(await store.getAttempt("good")).toBeUndefined();
    });

    it("replaces attempts still in progress, never one whose end was recorded meanwhile", async () => {
      const store = await db.open();
      const running = makeAttempt({ id: "open", startedAt: T0 });
      const finished = makeAttempt({ id: "closed", startedAt: T0 });
      await store.upsertAttempts([running, finished]);
      await store.upsertAttempts([{ ...finished, servingAt: T0 + MINUTE, outcome: "succeeded" }]);
      const timedOut = (a: Attempt): Attempt => ({
        ...a,
        outcome: "timed_out",
        endedAt: T0 + 60 * MINUTE,
      });
      const lastSeq = Math.max(...(await store.changesSince(0, 100)).map((c) => c.seq));
      expect(
        await store.replaceAttemptsInProgress([timedOut(running), timedOut(finished)]),
      ).toEqual(["open"]);
      expect((await store.getAttempt("open"))?.outcome).toBe("timed_out");
      expect((await store.getAttempt("closed"))?.outcome).toBe("succeeded");
      // The replacement is a change that other replicas' views read.
      const changes = await store.changesSince(lastSeq, 100);
      expect(changes.map((c) => [c.attempt.id, c.attempt.outcome])).toEqual([
        ["open", "timed_out"],
      ]);
      expect(await store.replaceAttemptsInProgress([timedOut(running)])).toEqual([]);
    });
  });
}
