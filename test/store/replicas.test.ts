import { expect, it } from "vitest";
import type { Store } from "../../src/store/store.js";
import { makeAttempt } from "../support/make-attempt.js";
import { describeDialect } from "./describe-dialect.js";
import { DIALECTS } from "./dialects.js";

for (const dialect of DIALECTS) {
  describeDialect(dialect, (db) => {
    it("shows each store's writes to another store on the same database", async () => {
      const a = await db.open();
      const b = await db.open();
      await a.upsertAttempts([makeAttempt({ id: "from-a" })]);
      await b.upsertAttempts([makeAttempt({ id: "from-b" })]);
      await a.upsertAttempts([makeAttempt({ id: "from-b", version: "2" })]);
      for (const store of [a, b]) {
        const changes = await store.changesSince(0, 10);
        expect(changes.map((change) => [change.attempt.id, change.attempt.version])).toEqual([
          ["from-a", "1"],
          ["from-b", "2"],
        ]);
      }
      const [, latest] = await b.changesSince(0, 10);
      await b.appendEvents(
        [{ id: "e1", type: "attempt.serving", attemptId: "from-a", at: 1 }],
        () => makeAttempt({ id: "from-a", version: "3" }),
      );
      const after = await a.changesSince(latest?.seq ?? 0, 10);
      expect(after.map((change) => change.attempt.version)).toEqual(["3"]);
    });

    // SQLite serialises writers by a file lock that better-sqlite3 waits for synchronously,
    // so concurrent writers belong in separate processes; this is the replicas' case.
    it.runIf(dialect.name === "postgres")(
      "never lets a poller miss a change while two pools write concurrently",
      async () => {
        const writers = [await db.open(), await db.open(), await db.open()];
        const poller = await db.open();
        const written = new Set<string>();
        const seen = new Set<string>();
        const seqs: number[] = [];
        let writing = true;

        async function write(store: Store, name: string): Promise<void> {
          for (let round = 0; round < 30; round++) {
            const batch = Array.from({ length: 1 + (round % 4) }, (_, i) =>
              makeAttempt({ id: `${name}-${round}-${i}` }),
            );
            await store.upsertAttempts(batch);
            for (const attempt of batch) written.add(attempt.id);
          }
        }

        async function poll(): Promise<void> {
          let last = 0;
          for (;;) {
            const finalPoll = !writing;
            const changes = await poller.changesSince(last, 7);
            for (const change of changes) {
              seqs.push(change.seq);
              seen.add(change.attempt.id);
              last = change.seq;
            }
            if (changes.length === 0) {
              if (finalPoll) return;
              await new Promise((resolve) => setImmediate(resolve));
            }
          }
        }

        const polling = poll();
        await Promise.all(writers.map((store, i) => write(store, `w${i}`)));
        writing = false;
        await polling;

        expect(written.size).toBe(3 * (7 * (1 + 2 + 3 + 4) + 1 + 2));
        expect([...seen].sort()).toEqual([...written].sort());
        expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
        expect(new Set(seqs).size).toBe(seqs.length);
      },
    );
  });
}
