import { expect, it } from "vitest";
import { notificationKey } from "../../src/core/notification/alert-notification.js";
import { alertLeaseMs } from "../../src/jobs/start-alert-evaluation-loop.js";
import { runAlertEvaluation } from "../../src/services/run-alert-evaluation.js";
import { SloEngine } from "../../src/services/slo-engine.js";
import type { Store } from "../../src/store/store.js";
import { describeDialect } from "../store/describe-dialect.js";
import { DIALECTS } from "../store/dialects.js";
import {
  HEALTHY,
  pagingSloWithoutHysteresis,
  REGRESSION_START,
  slowAttempt,
} from "../support/alert-scenario.js";
import { HOUR, MINUTE } from "../support/make-attempt.js";

// Restarts and replicas, not settling, are under test here.
const slo = pagingSloWithoutHysteresis();
const LEASE_MS = alertLeaseMs(30_000);
const FIRES_AT = REGRESSION_START + 11 * MINUTE;
const SECOND_EPISODE = REGRESSION_START + 2 * HOUR;

/** One process's life: a store, an engine loaded from it, and a fresh lease owner. */
async function boot(open: () => Promise<Store>, owner: string) {
  const store = await open();
  const engine = new SloEngine(store, [slo]);
  await engine.refresh();
  return {
    store,
    round: (now: number) =>
      runAlertEvaluation({ ctx: { store, engine }, input: { at: now, owner, leaseMs: LEASE_MS } }),
  };
}

async function keys(store: Store): Promise<string[]> {
  const deliveries = await store.listNotificationDeliveries({}, 100);
  return deliveries.map((d) => d.notification.key).sort();
}

for (const dialect of DIALECTS) {
  describeDialect(dialect, (db) => {
    it("neither re-sends nor loses a notification across restarts", async () => {
      const seed = await db.open();
      await seed.upsertAttempts([
        ...HEALTHY,
        slowAttempt(REGRESSION_START),
        slowAttempt(SECOND_EPISODE),
      ]);
      await seed.close();
      const firing1 = notificationKey(slo.name, "fast-burn", FIRES_AT, "firing");

      const first = await boot(db.open, "process-1");
      expect(await first.round(REGRESSION_START)).toMatchObject({
        evaluated: true,
        transitions: 0,
      });
      expect(await first.round(FIRES_AT)).toMatchObject({ evaluated: true, notifications: 1 });
      expect(await keys(first.store)).toEqual([firing1]);
      await first.store.close(); // killed: its lease is not released

      // A new process waits for the dead one's lease to run out…
      const second = await boot(db.open, "process-2");
      expect(await second.round(FIRES_AT + LEASE_MS - 1)).toMatchObject({ evaluated: false });
      // …then finds the alert already firing: nothing new to send.
      const afterLease = FIRES_AT + LEASE_MS;
      expect(await second.round(afterLease)).toMatchObject({
        evaluated: true,
        transitions: 0,
        notifications: 0,
      });
      expect(await keys(second.store)).toEqual([firing1]);
      const [state] = await second.store.listAlertStates({});
      expect(state).toMatchObject({ state: "firing", startsAt: FIRES_AT, since: FIRES_AT });
      await second.store.close();

      // Down while the alert stopped holding: the resolve is sent once, at the next round.
      const resolvedAt = REGRESSION_START + 40 * MINUTE;
      const third = await boot(db.open, "process-3");
      expect(await third.round(resolvedAt)).toMatchObject({ evaluated: true, notifications: 1 });
      expect(await third.round(resolvedAt + MINUTE)).toMatchObject({ notifications: 0 });
      const resolved1 = notificationKey(slo.name, "fast-burn", FIRES_AT, "resolved");
      expect(await keys(third.store)).toEqual([firing1, resolved1].sort());
      await third.store.close();

      // Down while a new episode began: it fires once, and a restart does not repeat it.
      const firesAgain = SECOND_EPISODE + 11 * MINUTE;
      const fourth = await boot(db.open, "process-4");
      expect(await fourth.round(firesAgain)).toMatchObject({ evaluated: true, notifications: 1 });
      await fourth.store.close();
      const fifth = await boot(db.open, "process-5");
      expect(await fifth.round(firesAgain + LEASE_MS)).toMatchObject({
        evaluated: true,
        notifications: 0,
      });
      const firing2 = notificationKey(slo.name, "fast-burn", firesAgain, "firing");
      expect(await keys(fifth.store)).toEqual([firing1, resolved1, firing2].sort());
      const transitions = await fifth.store.listAlertTransitions({}, 10);
      expect(transitions.map((t) => [t.state, t.at])).toEqual([
        ["firing", firesAgain],
        ["resolved", resolvedAt],
        ["firing", FIRES_AT],
      ]);
    });
  });
}
