import { expect, it } from "vitest";
import type { Attempt } from "../../src/core/attempt/attempt.js";
import type { AttemptEvent } from "../../src/core/attempt/attempt-event.js";
import { foldAttemptEvents } from "../../src/core/attempt/fold-attempt-events.js";
import type { Store } from "../../src/store/store.js";
import { DAY, HOUR, MINUTE, makeAttempt, makeStage, T0 } from "../support/make-attempt.js";
import { makeNotification } from "../support/make-notification.js";
import { describeDialect } from "./describe-dialect.js";
import { DIALECTS } from "./dialects.js";

// Retention deletes an attempt only when nothing of it lies at or after the cutoff, and never
// one in progress (docs/operations.md, "Retention").

const CUTOFF = T0 + 40 * DAY;

/** An attempt that succeeded at `servedAt` and ended a minute later. */
function served(id: string, servedAt: number, fields: Partial<Attempt> = {}): Attempt {
  return makeAttempt({
    id,
    startedAt: servedAt - 5 * MINUTE,
    servingAt: servedAt,
    endedAt: servedAt + MINUTE,
    ...fields,
  });
}

async function storedIds(store: Store): Promise<string[]> {
  const page = await store.listAttempts({}, { limit: 1000 });
  return page.attempts.map((attempt) => attempt.id).sort();
}

/** Runs a whole pass in batches of `limit`; returns the batches' figures. */
async function prune(store: Store, cutoff: number, limit: number) {
  const batches: { deleted: number; looked: number }[] = [];
  let after: Parameters<Store["deleteAttemptsEndedBefore"]>[2];
  for (;;) {
    const batch = await store.deleteAttemptsEndedBefore(cutoff, limit, after);
    batches.push({ deleted: batch.deleted, looked: batch.looked });
    if (batch.next === null) return batches;
    after = batch.next;
  }
}

/** Folds with the kept record as the store hands it over (a third argument). */
const fold = (id: string, events: readonly AttemptEvent[], record?: Attempt) =>
  foldAttemptEvents(id, events, record);

for (const dialect of DIALECTS) {
  describeDialect(dialect, (db) => {
    it("deletes exactly the attempts with nothing at or after the cutoff", async () => {
      const store = await db.open();
      await store.upsertAttempts([
        served("old", CUTOFF - DAY),
        // Ends one millisecond before the cutoff: gone; at the cutoff: kept.
        served("edge-out", CUTOFF - 2 * MINUTE, { endedAt: CUTOFF - 1 }),
        served("edge-in", CUTOFF - 2 * MINUTE, { endedAt: CUTOFF }),
        // Succeeded without a recorded end: its first inference is its end.
        served("no-end", CUTOFF - DAY, { endedAt: null }),
        served("recent", CUTOFF + DAY),
        makeAttempt({
          id: "failed-old",
          startedAt: CUTOFF - 3 * DAY,
          endedAt: CUTOFF - 3 * DAY + HOUR,
          outcome: "failed",
        }),
        // In progress for ever (no timeout recorded yet): counts in every evaluation.
        makeAttempt({ id: "stuck", startedAt: T0 }),
        // Ended long ago, but a stage or a sample reaches past the cutoff, or is still running.
        served("late-stage", CUTOFF - DAY, {
          stages: [makeStage({ name: "canary", startedAt: CUTOFF - DAY, endedAt: CUTOFF + 1 })],
        }),
        served("late-sample", CUTOFF - DAY, {
          dependencies: [{ name: "image_pull", seconds: 3, at: CUTOFF, attributes: {} }],
        }),
        served("open-stage", CUTOFF - DAY, {
          stages: [makeStage({ name: "canary", startedAt: CUTOFF - DAY })],
        }),
        served("old-stage", CUTOFF - DAY, {
          stages: [makeStage({ name: "canary", startedAt: T0, endedAt: T0 + HOUR })],
          dependencies: [{ name: "image_pull", seconds: 3, at: null, attributes: {} }],
        }),
      ]);
      const batches = await prune(store, CUTOFF, 100);
      expect(batches).toEqual([{ deleted: 5, looked: 8 }]);
      expect(await storedIds(store)).toEqual([
        "edge-in",
        "late-sample",
        "late-stage",
        "open-stage",
        "recent",
        "stuck",
      ]);
      expect(await prune(store, CUTOFF, 100)).toEqual([{ deleted: 0, looked: 3 }]);
    });

    it("deletes in batches of the limit, walking past the attempts it keeps", async () => {
      const store = await db.open();
      const attempts = Array.from({ length: 10 }, (_, i) =>
        served(`a${String(i).padStart(2, "0")}`, T0 + i * HOUR),
      );
      // Two of them are kept by a late stage: a batch that keeps them still moves on.
      const keep = new Set(["a02", "a03"]);
      await store.upsertAttempts(
        attempts.map((attempt) =>
          keep.has(attempt.id)
            ? {
                ...attempt,
                stages: [makeStage({ name: "canary", startedAt: T0, endedAt: CUTOFF + DAY })],
              }
            : attempt,
        ),
      );
      const batches = await prune(store, CUTOFF, 3);
      expect(batches).toEqual([
        { deleted: 2, looked: 3 },
        { deleted: 2, looked: 3 },
        { deleted: 3, looked: 3 },
        { deleted: 1, looked: 1 },
      ]);
      expect(await storedIds(store)).toEqual(["a02", "a03"]);
    });

    it("deletes an attempt's events, kept record and export marks with it", async () => {
      const store = await db.open();
      const record = served("with-events", CUTOFF - DAY);
      await store.upsertAttempts([record, served("kept", CUTOFF + DAY)]);
      const finished: AttemptEvent = {
        id: "evt-1",
        type: "attempt.finished",
        attemptId: "with-events",
        at: CUTOFF - DAY + 2 * MINUTE,
        outcome: "succeeded",
      };
      await store.appendEvents([finished], fold);
      await store.acquireLease({ name: "otlp-export", owner: "r", now: T0, leaseMs: HOUR });
      await store.recordAttemptExports({
        exporter: "otlp",
        lease: "otlp-export",
        owner: "r",
        cursor: 1,
        at: T0,
        exports: ["with-events", "kept"].map((attemptId) => ({
          attemptId,
          status: "exported" as const,
          detail: null,
        })),
      });
      expect(await prune(store, CUTOFF, 100)).toEqual([{ deleted: 1, looked: 1 }]);
      expect(await storedIds(store)).toEqual(["kept"]);
      expect(await store.exportedAttempts("otlp", ["with-events", "kept"])).toEqual(
        new Set(["kept"]),
      );
      // The event and the kept record are gone: the same event is new again, and alone (no
      // start, no record) it makes no attempt; with the record kept it would make one again.
      const again = await store.appendEvents([finished], fold);
      expect(again).toMatchObject({ accepted: 1, duplicates: 0, attempts: [] });
      expect(await storedIds(store)).toEqual(["kept"]);
    });

    it("deletes done notification deliveries enqueued before the cutoff, never pending ones", async () => {
      const store = await db.open();
      const notifications = ["delivered", "dead", "pending"].map((name) =>
        makeNotification({ alert: name, targets: ["ops"] }),
      );
      await store.enqueueNotifications(notifications);
      const claimed = await store.claimNotificationDeliveries({
        owner: "r",
        now: T0 + HOUR,
        leaseMs: MINUTE,
        limit: 10,
      });
      expect(claimed).toHaveLength(3);
      const [delivered, dead] = notifications;
      if (delivered === undefined || dead === undefined) throw new Error("no notifications");
      await store.recordDeliveryOutcome("r", {
        kind: "delivered",
        key: delivered.key,
        target: "ops",
        at: T0 + HOUR,
      });
      await store.recordDeliveryOutcome("r", {
        kind: "failed",
        key: dead.key,
        target: "ops",
        at: T0 + HOUR,
        error: "HTTP 500",
        status: 500,
        nextAttemptAt: null,
      });
      // The outbox stamps rows with the wall clock: before it nothing is old enough.
      const before = Date.now() - DAY;
      expect(await store.deleteNotificationsDoneBefore(before, 100)).toBe(0);
      const later = Date.now() + DAY;
      expect(await store.deleteNotificationsDoneBefore(later, 1)).toBe(1);
      expect(await store.deleteNotificationsDoneBefore(later, 100)).toBe(1);
      const left = await store.listNotificationDeliveries({}, 100);
      expect(left.map((d) => [d.notification.alert, d.status])).toEqual([["pending", "pending"]]);
    });

    it("refuses a cutoff that is not whole milliseconds", async () => {
      const store = await db.open();
      await expect(store.deleteAttemptsEndedBefore(1.5, 10)).rejects.toThrow(/cutoff/);
      await expect(store.deleteNotificationsDoneBefore(Number.NaN, 10)).rejects.toThrow(/cutoff/);
    });
  });
}
