import { expect, it } from "vitest";
import { DAY, MINUTE, makeAttempt, T0 } from "../support/make-attempt.js";
import { describeDialect } from "./describe-dialect.js";
import { DIALECTS } from "./dialects.js";

const KEY = { model: "fraud-model", environment: "production", version: "7" };

for (const dialect of DIALECTS) {
  describeDialect(dialect, (db) => {
    it("keeps a key's attempt while it is unstored or in progress, then takes the next", async () => {
      const store = await db.open();
      expect(await store.claimCorrelation({ ...KEY, attemptId: "a" })).toEqual({
        attemptId: "a",
        stored: false,
      });
      // Another delivery of the key, before or after "a" is stored, joins "a".
      expect(await store.claimCorrelation({ ...KEY, attemptId: "b" })).toEqual({
        attemptId: "a",
        stored: false,
      });
      await store.upsertAttempts([makeAttempt({ id: "a", ...KEY })]);
      expect(await store.claimCorrelation({ ...KEY, attemptId: "b" })).toEqual({
        attemptId: "a",
        stored: true,
      });
      // Other versions and environments are keys of their own.
      expect(await store.claimCorrelation({ ...KEY, version: "8", attemptId: "c" })).toEqual({
        attemptId: "c",
        stored: false,
      });
      // Once "a" has ended, the next delivery's attempt is the key's.
      await store.upsertAttempts([
        makeAttempt({ id: "a", ...KEY, servingAt: T0 + MINUTE, endedAt: T0 + MINUTE }),
      ]);
      expect(await store.claimCorrelation({ ...KEY, attemptId: "a" })).toEqual({
        attemptId: "a",
        stored: true,
      });
      expect(await store.claimCorrelation({ ...KEY, attemptId: "d" })).toEqual({
        attemptId: "d",
        stored: false,
      });
      expect(await store.claimCorrelation({ ...KEY, attemptId: "e" })).toEqual({
        attemptId: "d",
        stored: false,
      });
    });

    // SQLite serialises writers by a file lock that better-sqlite3 waits for synchronously, so
    // concurrent writers belong in separate processes; several replicas need PostgreSQL.
    it.runIf(dialect.name === "postgres")(
      "gives concurrent claims of one key from several handles one attempt",
      async () => {
        const stores = [await db.open(), await db.open(), await db.open()];
        for (const round of [1, 2, 3]) {
          const owners = await Promise.all(
            stores.flatMap((store, i) =>
              [0, 1].map((j) =>
                store.claimCorrelation({ ...KEY, attemptId: `r${round}-s${i}-${j}` }),
              ),
            ),
          );
          const ids = new Set(owners.map((owner) => owner.attemptId));
          expect(ids.size).toBe(1);
          const id = owners[0]?.attemptId ?? "";
          expect(id).toMatch(new RegExp(`^r${round}-`));
          // Ending the round's attempt lets the next round claim a new one.
          await stores[0]?.upsertAttempts([
            makeAttempt({ id, ...KEY, servingAt: T0 + MINUTE, endedAt: T0 + MINUTE }),
          ]);
        }
      },
    );

    it("forgets the keys of the attempts retention deletes, and only those", async () => {
      const store = await db.open();
      const ended = { servingAt: T0 + MINUTE, endedAt: T0 + MINUTE };
      await store.claimCorrelation({ ...KEY, attemptId: "old" });
      await store.upsertAttempts([makeAttempt({ id: "old", ...KEY, ...ended })]);
      const kept = { ...KEY, version: "8" };
      await store.claimCorrelation({ ...kept, attemptId: "running" });
      await store.upsertAttempts([makeAttempt({ id: "running", ...kept })]);
      const batch = await store.deleteAttemptsEndedBefore(T0 + DAY, 100, undefined);
      expect(batch.deleted).toBe(1);
      // The deleted attempt's key is free: a late delivery starts an attempt of its own (as a
      // record sent again after retention is stored afresh), and the table does not grow with
      // every promotion ever received.
      expect(await store.claimCorrelation({ ...KEY, attemptId: "late" })).toEqual({
        attemptId: "late",
        stored: false,
      });
      expect(await store.claimCorrelation({ ...kept, attemptId: "other" })).toEqual({
        attemptId: "running",
        stored: true,
      });
    });
  });
}
