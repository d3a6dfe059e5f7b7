import { expect, it } from "vitest";
import type { PolicyStateRecord } from "../../src/core/policy/policy-state-record.js";
import type { SloPolicy } from "../../src/core/policy/slo-policy-state.js";
import type { AlertEvaluationRecord, Store } from "../../src/store/store.js";
import { HOUR, MINUTE, T0 } from "../support/make-attempt.js";
import { makeNotification } from "../support/make-notification.js";
import { describeDialect } from "./describe-dialect.js";
import { DIALECTS } from "./dialects.js";

const LEASE = "alert-evaluator";

const POLICY: SloPolicy = {
  state: "frozen",
  reason: "frozen: the error budget is exhausted",
  unblock: "wait until failures leave the window",
  remainingRatio: -0.25,
  approvalBelow: 0.5,
  freezeWhenExhausted: true,
  exempt: ["hotfix"],
  declared: true,
  reportOnly: false,
};

function state(fields: Partial<PolicyStateRecord> = {}): PolicyStateRecord {
  return {
    slo: "prod-deploys",
    state: "frozen",
    since: T0,
    evaluatedAt: T0,
    policy: POLICY,
    freeze: makeNotification({ kind: "freeze", alert: "budget-freeze", severity: "ticket" }),
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

function take(store: Store, owner: string, now: number) {
  return store.acquireLease({ name: LEASE, owner, now, leaseMs: MINUTE });
}

for (const dialect of DIALECTS) {
  describeDialect(dialect, (db) => {
    it("saves, replaces and removes policy states with the alert evaluation, and reads them back after a reopen", async () => {
      const store = await db.open();
      expect(await store.listPolicyStates()).toEqual([]);
      expect(await take(store, "a", T0)).toBe(true);
      const other = state({
        slo: "image-pulls",
        state: "open",
        freeze: null,
        policy: { ...POLICY, state: "open", remainingRatio: 0.9 },
      });
      const freeze = state().freeze;
      expect(
        await store.recordAlertEvaluation(
          evaluation("a", {
            policyStates: [state(), other],
            notifications: freeze === null ? [] : [freeze],
          }),
        ),
      ).toBe(true);
      expect(await store.listPolicyStates()).toEqual([other, state()]);
      const [delivery] = await store.listNotificationDeliveries({}, 10);
      expect(delivery?.notification).toEqual(freeze);

      const ended = state({
        state: "approval_required",
        since: T0 + HOUR,
        evaluatedAt: T0 + HOUR,
        freeze: null,
      });
      await store.recordAlertEvaluation(
        evaluation("a", { policyStates: [ended], removedPolicyStates: ["image-pulls"] }),
      );
      await store.close();
      const reopened = await db.open();
      expect(await reopened.listPolicyStates()).toEqual([ended]);
    });

    it("writes no policy state when the evaluator lost its lease", async () => {
      const store = await db.open();
      expect(await take(store, "a", T0)).toBe(true);
      expect(await take(store, "b", T0 + 2 * MINUTE)).toBe(true);
      expect(await store.recordAlertEvaluation(evaluation("a", { policyStates: [state()] }))).toBe(
        false,
      );
      expect(await store.listPolicyStates()).toEqual([]);
    });

    it("reads the audit log per SLO, naming each entry's SLOs", async () => {
      const store = await db.open();
      const entry = {
        at: T0,
        kind: "gate_decision" as const,
        actor: "ci",
        model: "fraud-detector",
        environment: "production",
        version: null,
        decision: "deny" as const,
        detail: {},
      };
      await store.appendAudit([
        { ...entry, slos: ["prod-deploys", "registry-pulls"] },
        { ...entry, slos: ["registry-pulls"] },
        { ...entry, slos: [] },
      ]);
      await store.grantApproval(
        {
          id: "apr-1",
          approver: "alice",
          reason: "fix verified",
          model: "fraud-detector",
          environment: "production",
          version: null,
          grantedAt: T0,
          expiresAt: T0 + HOUR,
        },
        { ...entry, kind: "approval", decision: null, slos: ["prod-deploys"] },
        [makeNotification({ kind: "approval", key: "prod-deploys/approval-granted/apr-1" })],
      );
      const prod = await store.listAudit({ slo: "prod-deploys", limit: 10 });
      expect(prod.map((e) => [e.seq, e.slos])).toEqual([
        [4, ["prod-deploys"]],
        [1, ["prod-deploys", "registry-pulls"]],
      ]);
      const pulls = await store.listAudit({
        slo: "registry-pulls",
        kind: "gate_decision",
        limit: 1,
      });
      expect(pulls.map((e) => e.seq)).toEqual([2]);
      expect((await store.listAudit({ limit: 10 })).map((e) => e.slos.length)).toEqual([
        1, 0, 1, 2,
      ]);
      const outbox = await store.listNotificationDeliveries({}, 10);
      expect(outbox.map((d) => d.notification.kind)).toEqual(["approval"]);
    });
  });
}
