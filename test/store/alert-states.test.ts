import { expect, it } from "vitest";
import type { AlertRecord, AlertTransitionRecord } from "../../src/core/alerting/alert-record.js";
import type { AlertEvaluationRecord, Store } from "../../src/store/store.js";
import { HOUR, MINUTE, T0 } from "../support/make-attempt.js";
import { makeNotification } from "../support/make-notification.js";
import { describeDialect } from "./describe-dialect.js";
import { DIALECTS } from "./dialects.js";

const LEASE = "alert-evaluator";

function record(fields: Partial<AlertRecord> = {}): AlertRecord {
  return {
    slo: "prod-deploys",
    alert: "fast-burn",
    severity: "page",
    state: "inactive",
    since: T0,
    activeAt: null,
    startsAt: null,
    evaluatedAt: T0,
    atRisk: [],
    firing: null,
    heldAt: null,
    ...fields,
  };
}

function transition(fields: Partial<AlertTransitionRecord> = {}): AlertTransitionRecord {
  return {
    slo: "prod-deploys",
    alert: "fast-burn",
    severity: "page",
    state: "firing",
    at: T0,
    startsAt: T0,
    reason: "condition",
    ...fields,
  };
}

function evaluation(owner: string, fields: Partial<AlertEvaluationRecord>): AlertEvaluationRecord {
  return {
    lease: LEASE,
    owner,
    notifications: [],
    states: [],
    removed: [],
    transitions: [],
    incidents: [],
    keepTransitionsAfter: 0,
    ...fields,
  };
}

function take(store: Store, owner: string, now: number, leaseMs = MINUTE) {
  return store.acquireLease({ name: LEASE, owner, now, leaseMs });
}

for (const dialect of DIALECTS) {
  describeDialect(dialect, (db) => {
    it("grants a lease to one owner at a time, until it runs out or is released", async () => {
      const a = await db.open();
      const b = await db.open();
      expect(await take(a, "a", T0)).toBe(true);
      expect(await take(b, "b", T0 + MINUTE - 1)).toBe(false);
      expect(await take(a, "a", T0 + 30_000)).toBe(true); // renewed until T0 + 90 s
      expect(await take(b, "b", T0 + MINUTE)).toBe(false);
      expect(await take(b, "b", T0 + 90_000)).toBe(true);
      expect(await take(a, "a", T0 + 90_001)).toBe(false);
      await a.releaseLease(LEASE, "a"); // not a's any more: changes nothing
      expect(await take(a, "a", T0 + 100_000)).toBe(false);
      await b.releaseLease(LEASE, "b");
      expect(await take(a, "a", T0 + 100_000)).toBe(true);
      // Another lease name is independent.
      expect(await b.acquireLease({ name: "other", owner: "b", now: T0, leaseMs: MINUTE })).toBe(
        true,
      );
    });

    it("renews a lease only for its holder, and never takes one", async () => {
      const a = await db.open();
      const b = await db.open();
      const renew = (store: Store, owner: string, now: number) =>
        store.renewLease({ name: LEASE, owner, now, leaseMs: MINUTE });
      expect(await renew(a, "a", T0)).toBe(false); // nobody holds it: renewing takes nothing
      expect(await take(b, "b", T0 + 1)).toBe(true);
      expect(await take(a, "a", T0)).toBe(false);
      expect(await take(a, "a", T0)).toBe(false);
      expect(await renew(b, "b", T0 + 50_000)).toBe(true); // until T0 + 110 s
      expect(await take(a, "a", T0 + 100_000)).toBe(false);
      expect(await renew(a, "a", T0 + 100_000)).toBe(false);
      // Run out but not taken: its holder may still renew it.
      expect(await renew(b, "b", T0 + 200_000)).toBe(true);
      expect(await take(a, "a", T0 + 259_999)).toBe(false);
      await b.releaseLease(LEASE, "b");
      expect(await renew(b, "b", T0 + 260_000)).toBe(false); // given up stays given up
      expect(await take(a, "a", T0 + 260_000)).toBe(true);
      expect(await renew(b, "b", T0 + 260_001)).toBe(false);
    });

    it.runIf(dialect.name === "postgres")(
      "grants a contested lease to exactly one of many concurrent claimers",
      async () => {
        const stores = [await db.open(), await db.open(), await db.open()];
        for (let round = 0; round < 5; round++) {
          const now = T0 + round * 2 * MINUTE;
          const results = await Promise.all(
            stores.flatMap((store, i) => [take(store, `s${i}`, now), take(store, `t${i}`, now)]),
          );
          expect(results.filter(Boolean)).toHaveLength(1);
        }
      },
    );

    it("commits an evaluation only while its owner holds the lease", async () => {
      const a = await db.open();
      const b = await db.open();
      const firing = makeNotification({ targets: ["ops"] });
      const state = record({ state: "firing", since: T0, activeAt: T0, startsAt: T0, firing });
      // Nobody holds the lease yet.
      expect(await a.recordAlertEvaluation(evaluation("a", { states: [state] }))).toBe(false);
      expect(await take(a, "a", T0)).toBe(true);
      expect(await take(b, "b", T0 + 2 * MINUTE)).toBe(true);
      // a's lease ran out and b took it: a's late evaluation writes nothing at all.
      const late = evaluation("a", {
        notifications: [firing],
        states: [state],
        transitions: [transition()],
      });
      expect(await a.recordAlertEvaluation(late)).toBe(false);
      expect(await a.listAlertStates({})).toEqual([]);
      expect(await a.listAlertTransitions({}, 10)).toEqual([]);
      expect(await a.listNotificationDeliveries({}, 10)).toEqual([]);
      expect(await b.recordAlertEvaluation({ ...late, owner: "b" })).toBe(true);
      expect(await a.listAlertStates({})).toEqual([state]);
      expect(await a.listAlertTransitions({}, 10)).toEqual([transition()]);
      expect((await a.listNotificationDeliveries({}, 10)).map((d) => d.notification)).toEqual([
        firing,
      ]);
    });

    it("saves the open incidents and when firing alerts last held, replacing them each round", async () => {
      const store = await db.open();
      expect(await take(store, "me", T0)).toBe(true);
      const firing = makeNotification({
        targets: ["ops"],
        incident: `prod-deploys/${T0}`,
        slos: ["prod-deploys"],
      });
      const incident = {
        key: `prod-deploys/${T0}`,
        slo: "prod-deploys",
        alert: "fast-burn",
        startsAt: T0,
        slos: ["prod-deploys"],
        alerts: ["prod-deploys/fast-burn"],
        notified: [firing],
      };
      const state = record({ state: "firing", activeAt: T0, startsAt: T0, heldAt: T0 + MINUTE });
      expect(
        await store.recordAlertEvaluation(
          evaluation("me", { states: [state], incidents: [incident], notifications: [firing] }),
        ),
      ).toBe(true);
      expect(await store.listAlertIncidents()).toEqual([incident]);
      expect(await store.listAlertStates({})).toEqual([state]);

      // A twin joins; a second incident opens elsewhere.
      const joined = {
        ...incident,
        slos: ["prod-deploys", "prod-deploys-time"],
        alerts: [...incident.alerts, "prod-deploys-time/fast-burn"],
      };
      const staging = {
        ...incident,
        key: `staging/${T0 + HOUR}`,
        slo: "staging",
        startsAt: T0 + HOUR,
      };
      expect(
        await store.recordAlertEvaluation(evaluation("me", { incidents: [staging, joined] })),
      ).toBe(true);
      expect(await store.listAlertIncidents()).toEqual([joined, staging]);

      // Both resolve: nothing stays open.
      expect(await store.recordAlertEvaluation(evaluation("me", { incidents: [] }))).toBe(true);
      expect(await store.listAlertIncidents()).toEqual([]);
    });

    it("replaces states, deletes removed ones, lists by filter and prunes old transitions", async () => {
      const store = await db.open();
      expect(await take(store, "me", T0)).toBe(true);
      const fast = record({ state: "pending", since: T0, activeAt: T0 });
      const slow = record({ alert: "slow-burn", severity: "ticket" });
      const other = record({ slo: "registry-pull", alert: "baseline-drift", atRisk: ["a", "b"] });
      expect(
        await store.recordAlertEvaluation(
          evaluation("me", {
            states: [fast, slow, other],
            transitions: [transition({ state: "pending", startsAt: null })],
          }),
        ),
      ).toBe(true);
      expect(await store.listAlertStates({})).toEqual([fast, slow, other]);
      const fired = record({
        state: "firing",
        since: T0 + 5 * MINUTE,
        activeAt: T0,
        startsAt: T0 + 5 * MINUTE,
        evaluatedAt: T0 + 5 * MINUTE,
      });
      const later = transition({ at: T0 + 5 * MINUTE, startsAt: T0 + 5 * MINUTE });
      expect(
        await store.recordAlertEvaluation(
          evaluation("me", {
            states: [fired],
            removed: [{ slo: "prod-deploys", alert: "slow-burn" }],
            transitions: [later],
          }),
        ),
      ).toBe(true);
      expect(await store.listAlertStates({})).toEqual([fired, other]);
      expect(await store.listAlertStates({ state: "firing" })).toEqual([fired]);
      expect(await store.listAlertStates({ slo: "registry-pull" })).toEqual([other]);
      expect(await store.listAlertStates({ slo: "nope" })).toEqual([]);
      const all = await store.listAlertTransitions({}, 10);
      expect(all.map((t) => [t.state, t.at])).toEqual([
        ["firing", T0 + 5 * MINUTE],
        ["pending", T0],
      ]);
      expect(await store.listAlertTransitions({}, 1)).toEqual([later]);
      expect(await store.listAlertTransitions({ slo: "registry-pull" }, 10)).toEqual([]);
      // The same transition recorded again (a retried round) is kept once.
      await store.recordAlertEvaluation(
        evaluation("me", { transitions: [later], keepTransitionsAfter: T0 + MINUTE }),
      );
      expect(await store.listAlertTransitions({}, 10)).toEqual([later]);
      await store.recordAlertEvaluation(evaluation("me", { keepTransitionsAfter: T0 + HOUR }));
      expect(await store.listAlertTransitions({}, 10)).toEqual([]);
    });
  });
}
