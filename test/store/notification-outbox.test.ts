import { expect, it } from "vitest";
import type { NotificationDelivery } from "../../src/core/notification/notification-delivery.js";
import type { Store } from "../../src/store/store.js";
import { MINUTE, SECOND, T0 } from "../support/make-attempt.js";
import { makeNotification } from "../support/make-notification.js";
import { describeDialect } from "./describe-dialect.js";
import { DIALECTS } from "./dialects.js";

const LEASE = MINUTE;
const LATER = T0 + 3_600_000;

function claim(store: Store, owner: string, now = LATER, limit = 100) {
  return store.claimNotificationDeliveries({ owner, now, leaseMs: LEASE, limit });
}

function ids(deliveries: readonly NotificationDelivery[]): string[] {
  return deliveries.map((d) => `${d.notification.key}>${d.target}`);
}

for (const dialect of DIALECTS) {
  describeDialect(dialect, (db) => {
    it("enqueues one delivery per target, idempotent by key and target", async () => {
      const store = await db.open();
      const firing = makeNotification({ targets: ["ops", "pager"] });
      expect(await store.enqueueNotifications([firing])).toBe(2);
      expect(await store.enqueueNotifications([firing])).toBe(0);
      expect(await store.enqueueNotifications([{ ...firing, targets: ["ops", "slack"] }])).toBe(1);
      expect(await store.enqueueNotifications([])).toBe(0);
      const listed = await store.listNotificationDeliveries({}, 100);
      expect(listed.map((d) => d.target).sort()).toEqual(["ops", "pager", "slack"]);
      const ops = listed.find((d) => d.target === "ops");
      expect(ops).toMatchObject({
        status: "pending",
        attempts: 0,
        nextAttemptAt: firing.at,
        lastError: null,
        lastStatus: null,
        deliveredAt: null,
      });
      expect(ops?.notification).toEqual(firing);
    });

    it("lists the deliveries of a list of SLOs, and none for an empty list", async () => {
      const store = await db.open();
      await store.enqueueNotifications([
        makeNotification({ slo: "a", targets: ["ops"] }),
        makeNotification({ slo: "b", targets: ["ops"] }),
        makeNotification({ slo: "c", targets: ["ops"] }),
      ]);
      const slos = async (filter: { slos?: string[]; slo?: string }) =>
        (await store.listNotificationDeliveries(filter, 100)).map((d) => d.notification.slo).sort();
      expect(await slos({ slos: ["a", "c", "z"] })).toEqual(["a", "c"]);
      expect(await slos({ slos: ["a", "c"], slo: "c" })).toEqual(["c"]);
      expect(await slos({ slos: [] })).toEqual([]);
      expect(await slos({})).toEqual(["a", "b", "c"]);
    });

    it("does not re-send a delivered notification when it is enqueued again", async () => {
      const store = await db.open();
      const firing = makeNotification();
      await store.enqueueNotifications([firing]);
      const [claimed] = await claim(store, "r1");
      expect(claimed?.attempts).toBe(1);
      expect(
        await store.recordDeliveryOutcome("r1", {
          kind: "delivered",
          key: firing.key,
          target: "ops",
          at: LATER + SECOND,
        }),
      ).toBe(true);
      expect(await store.enqueueNotifications([firing])).toBe(0);
      expect(await claim(store, "r1", LATER + MINUTE * 10)).toEqual([]);
      const [delivered] = await store.listNotificationDeliveries({ status: "delivered" }, 10);
      expect(delivered).toMatchObject({
        status: "delivered",
        attempts: 1,
        deliveredAt: LATER + SECOND,
        nextAttemptAt: null,
      });
    });

    it("claims only due deliveries, and a lease keeps others away until it expires", async () => {
      const store = await db.open();
      await store.enqueueNotifications([
        makeNotification({ alert: "a", startsAt: T0 }),
        makeNotification({ alert: "b", startsAt: T0 + 30 * SECOND }),
      ]);
      expect(await claim(store, "r1", T0 - 1)).toEqual([]);
      expect(ids(await claim(store, "r1", T0))).toEqual([`prod-deploys/a/${T0}/firing>ops`]);
      // Leased to r1: nobody gets it before the lease ends, not even r1.
      expect(ids(await claim(store, "r2", T0 + 30 * SECOND))).toEqual([
        `prod-deploys/b/${T0 + 30 * SECOND}/firing>ops`,
      ]);
      expect(await claim(store, "r2", T0 + LEASE - 1)).toEqual([]);
      // r1 vanished: after its lease, r2 takes the delivery over, as attempt 2.
      const [takenOver] = await claim(store, "r2", T0 + LEASE);
      expect(takenOver?.attempts).toBe(2);
      const lateResult = {
        kind: "delivered" as const,
        key: takenOver?.notification.key ?? "",
        target: "ops",
        at: T0 + LEASE + 1,
      };
      expect(await store.recordDeliveryOutcome("r1", lateResult)).toBe(false);
      expect(await store.recordDeliveryOutcome("r2", lateResult)).toBe(true);
    });

    it("reschedules a failed attempt, keeps the error, and marks it dead when told to", async () => {
      const store = await db.open();
      const firing = makeNotification();
      await store.enqueueNotifications([firing]);
      await claim(store, "r1");
      expect(
        await store.recordDeliveryOutcome("r1", {
          kind: "failed",
          key: firing.key,
          target: "ops",
          at: LATER,
          error: "HTTP 503: unavailable",
          status: 503,
          nextAttemptAt: LATER + 10 * SECOND,
        }),
      ).toBe(true);
      const [pending] = await store.listNotificationDeliveries({ status: "pending" }, 10);
      expect(pending).toMatchObject({
        attempts: 1,
        nextAttemptAt: LATER + 10 * SECOND,
        lastError: "HTTP 503: unavailable",
        lastStatus: 503,
      });
      expect(await claim(store, "r1", LATER + 10 * SECOND - 1)).toEqual([]);
      const [second] = await claim(store, "r1", LATER + 10 * SECOND);
      expect(second?.attempts).toBe(2);
      await store.recordDeliveryOutcome("r1", {
        kind: "failed",
        key: firing.key,
        target: "ops",
        at: LATER + 11 * SECOND,
        error: "HTTP 400: bad request",
        status: 400,
        nextAttemptAt: null,
      });
      expect(await store.listNotificationDeliveries({ status: "pending" }, 10)).toEqual([]);
      const [dead] = await store.listNotificationDeliveries({ status: "dead" }, 10);
      expect(dead).toMatchObject({
        status: "dead",
        attempts: 2,
        nextAttemptAt: null,
        lastStatus: 400,
      });
      expect(await claim(store, "r1", LATER + 3_600_000)).toEqual([]);
    });

    it("never lets a resolve overtake its firing to the same target", async () => {
      const store = await db.open();
      const firing = makeNotification({ targets: ["ops", "pager"] });
      const resolved = makeNotification({ state: "resolved", targets: ["ops", "pager"] });
      await store.enqueueNotifications([resolved, firing]);
      const first = await claim(store, "r1");
      expect(ids(first)).toEqual([`${firing.key}>ops`, `${firing.key}>pager`]);
      await store.recordDeliveryOutcome("r1", {
        kind: "failed",
        key: firing.key,
        target: "ops",
        at: LATER,
        error: "timeout",
        status: null,
        nextAttemptAt: LATER + MINUTE,
      });
      await store.recordDeliveryOutcome("r1", {
        kind: "delivered",
        key: firing.key,
        target: "pager",
        at: LATER,
      });
      // pager got its firing: its resolve is due; ops still waits for its firing's retry.
      expect(ids(await claim(store, "r1", LATER + 1))).toEqual([`${resolved.key}>pager`]);
      await store.recordDeliveryOutcome("r1", {
        kind: "delivered",
        key: resolved.key,
        target: "pager",
        at: LATER + 2,
      });
      expect(ids(await claim(store, "r1", LATER + MINUTE))).toEqual([`${firing.key}>ops`]);
      await store.recordDeliveryOutcome("r1", {
        kind: "failed",
        key: firing.key,
        target: "ops",
        at: LATER + MINUTE,
        error: "HTTP 404",
        status: 404,
        nextAttemptAt: null,
      });
      // A dead firing no longer holds its resolve back.
      expect(ids(await claim(store, "r1", LATER + MINUTE + 1))).toEqual([`${resolved.key}>ops`]);
    });

    it("lists newest first with filters and a limit", async () => {
      const store = await db.open();
      await store.enqueueNotifications([makeNotification({ slo: "a", targets: ["ops", "x"] })]);
      await store.enqueueNotifications([makeNotification({ slo: "b", startsAt: T0 + MINUTE })]);
      const all = await store.listNotificationDeliveries({}, 10);
      expect(all.map((d) => `${d.notification.slo}>${d.target}`)).toEqual([
        "b>ops",
        "a>ops",
        "a>x",
      ]);
      expect((await store.listNotificationDeliveries({ slo: "a" }, 10)).length).toBe(2);
      expect((await store.listNotificationDeliveries({ target: "x" }, 10)).length).toBe(1);
      expect(ids(await store.listNotificationDeliveries({ slo: "a", target: "x" }, 10))).toEqual([
        `prod-deploys/fast-burn/${T0}/firing>x`.replace("prod-deploys", "a"),
      ]);
      expect((await store.listNotificationDeliveries({}, 2)).length).toBe(2);
      expect(await store.listNotificationDeliveries({ status: "dead" }, 10)).toEqual([]);
    });

    it.runIf(dialect.name === "postgres")(
      "never gives one delivery to two claimers at once",
      async () => {
        const writer = await db.open();
        const claimers = [await db.open(), await db.open(), await db.open()];
        const notifications = Array.from({ length: 60 }, (_, i) =>
          makeNotification({ alert: `rule-${i}`, targets: ["ops", "pager"] }),
        );
        expect(await writer.enqueueNotifications(notifications)).toBe(120);
        const claimed: string[] = [];
        await Promise.all(
          claimers.map(async (store, c) => {
            for (;;) {
              const batch = await claim(store, `r${c}`, LATER, 7);
              if (batch.length === 0) return;
              claimed.push(...ids(batch));
            }
          }),
        );
        expect(claimed.length).toBe(120);
        expect(new Set(claimed).size).toBe(120);
      },
    );
  });
}
