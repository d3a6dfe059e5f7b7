import { afterEach, beforeEach, expect, it } from "vitest";
import type { Clock } from "../../src/clock/clock.js";
import type { ResolvedTarget } from "../../src/core/notification/notification-target.js";
import { FREEZE_ALERT } from "../../src/core/policy/freeze-notification.js";
import { alertLeaseMs } from "../../src/jobs/start-alert-evaluation-loop.js";
import { createNotifiers } from "../../src/notify/notifiers.js";
import { deliverDueNotifications } from "../../src/services/deliver-due-notifications.js";
import { grantApproval } from "../../src/services/grant-approval.js";
import { runAlertEvaluation } from "../../src/services/run-alert-evaluation.js";
import { silentLogger } from "../../src/services/service-logger.js";
import { SloEngine } from "../../src/services/slo-engine.js";
import type { Store } from "../../src/store/store.js";
import { describeDialect } from "../store/describe-dialect.js";
import { DIALECTS } from "../store/dialects.js";
import { HEALTHY, pagingSlo, REGRESSION_START, slowAttempt } from "../support/alert-scenario.js";
import { type HttpReceiver, startReceiver } from "../support/http-receiver.js";
import { HOUR, MINUTE, makeAttempt } from "../support/make-attempt.js";
import { makeTarget } from "../support/make-target.js";

// A freeze starting and ending, and an approval granted, reach the SLO's targets through the
// outbox and the real notifiers, once each, across a restart, on both stores.

const LEASE_MS = alertLeaseMs(30_000);
const TARGETS = ["hook", "chat", "pager", "am"];
const base = pagingSlo();
const slo = pagingSlo({
  policy: {
    freezeWhenExhausted: true,
    approvalBelow: 0.5,
    approvalAboveBreachProbability: null,
    exempt: ["hotfix"],
    declared: true,
  },
  alerting: { ...base.alerting, notify: TARGETS },
});
const FROZEN_AT = REGRESSION_START + HOUR;
const APPROVED_AT = REGRESSION_START + 2 * HOUR;
/** 40 good deployments after the approval: 4 bad of 104 leaves 23% of the budget. */
const RECOVERY = Array.from({ length: 40 }, (_, i) =>
  makeAttempt({
    id: `good-${i}`,
    startedAt: APPROVED_AT + i * 10 * MINUTE,
    servingAt: APPROVED_AT + i * 10 * MINUTE + 4 * MINUTE,
  }),
);
const RECOVERED_AT = APPROVED_AT + 8 * HOUR;

let receiver: HttpReceiver;
beforeEach(async () => {
  receiver = await startReceiver();
});
afterEach(async () => {
  await receiver.close();
});

function fixedClock(at: number): Clock {
  return { now: () => at, sleep: () => Promise.resolve() };
}

async function boot(open: () => Promise<Store>, owner: string) {
  const store = await open();
  const engine = new SloEngine(store, [slo]);
  await engine.refresh();
  return {
    store,
    engine,
    round: (at: number) =>
      runAlertEvaluation({ ctx: { store, engine }, input: { at, owner, leaseMs: LEASE_MS } }),
  };
}

async function policyKeys(store: Store): Promise<string[]> {
  const deliveries = await store.listNotificationDeliveries({}, 200);
  return [
    ...new Set(
      deliveries.filter((d) => d.notification.kind !== "alert").map((d) => d.notification.key),
    ),
  ].sort();
}

async function deliverAll(store: Store, at: number): Promise<void> {
  const url = receiver.url;
  const targets = new Map<string, ResolvedTarget>([
    ["hook", makeTarget("webhook", `${url}/hook`, { name: "hook" })],
    ["chat", makeTarget("slack", `${url}/slack`, { name: "chat" })],
    ["pager", makeTarget("pagerduty", `${url}/v2/enqueue`, { name: "pager" })],
    ["am", makeTarget("alertmanager", `${url}/am`, { name: "am" })],
  ]);
  const clock = fixedClock(at);
  for (;;) {
    const round = await deliverDueNotifications({
      ctx: {
        store,
        clock,
        random: () => 0.5,
        logger: silentLogger,
        targets: () => targets,
        notifiers: createNotifiers(clock),
      },
      input: { owner: "deliverer", signal: new AbortController().signal },
    });
    expect(round.retrying + round.dead).toBe(0);
    if (round.claimed === 0) return;
  }
}

function bodies(path: string): Record<string, unknown>[] {
  return receiver.requests
    .filter((r) => r.path === path)
    .map((r) => JSON.parse(r.body) as Record<string, unknown>);
}

for (const dialect of DIALECTS) {
  describeDialect(dialect, (db) => {
    it("notifies a freeze's start and end and an approval once each, through every notifier", {
      timeout: 60_000,
    }, async () => {
      const seed = await db.open();
      await seed.upsertAttempts([
        ...HEALTHY,
        ...[0, 5, 10, 15].map((m) => slowAttempt(REGRESSION_START + m * MINUTE)),
      ]);
      await seed.close();
      const started = `prod-deploys/${FREEZE_ALERT}/${FROZEN_AT}/firing`;

      const first = await boot(db.open, "process-1");
      await first.round(FROZEN_AT);
      expect(await policyKeys(first.store)).toEqual([started]);
      await first.round(FROZEN_AT + MINUTE);
      expect(await policyKeys(first.store)).toEqual([started]);
      await first.store.close(); // killed: its lease is not released

      const second = await boot(db.open, "process-2");
      expect(await second.round(FROZEN_AT + MINUTE + LEASE_MS)).toMatchObject({ evaluated: true });
      expect(await policyKeys(second.store)).toEqual([started]);
      expect(await second.store.listPolicyStates()).toEqual([
        expect.objectContaining({
          slo: "prod-deploys",
          state: "frozen",
          since: FROZEN_AT,
          policy: expect.objectContaining({ remainingRatio: -0.25 }),
        }),
      ]);

      const { approval, audit } = await grantApproval({
        ctx: { ...second, clock: fixedClock(APPROVED_AT), newId: () => "apr-1" },
        input: {
          approver: "alice",
          reason: "registry fix verified",
          model: "fraud-detector",
          environment: "production",
          version: "7",
          validForMs: 2 * HOUR,
        },
      });
      expect(audit.slos).toEqual(["prod-deploys"]);
      const listed = await second.store.listAudit({ slo: "prod-deploys", limit: 10 });
      expect(listed.map((e) => e.seq)).toEqual([audit.seq]);
      expect(await second.store.listAudit({ slo: "other", limit: 10 })).toEqual([]);

      await second.store.upsertAttempts(RECOVERY);
      await second.engine.refresh();
      await second.round(RECOVERED_AT);
      await second.round(RECOVERED_AT + MINUTE);
      const ended = `prod-deploys/${FREEZE_ALERT}/${FROZEN_AT}/resolved`;
      const approved = `prod-deploys/approval-granted/${approval.id}`;
      expect(await policyKeys(second.store)).toEqual([approved, started, ended].sort());
      const [state] = await second.store.listPolicyStates();
      expect(state).toMatchObject({
        state: "approval_required",
        since: RECOVERED_AT,
        freeze: null,
      });
      await deliverAll(second.store, RECOVERED_AT + HOUR);
      await second.store.close();

      // The webhook: what happened, the SLO, the numbers and what unblocks a freeze.
      const hook = bodies("/hook").filter((b) => b.kind !== "alert");
      expect(hook.map((b) => [b.kind, b.state, b.key])).toEqual([
        ["freeze", "firing", started],
        ["approval", "firing", approved],
        ["freeze", "resolved", ended],
      ]);
      const [freeze, granted, unfrozen] = hook;
      expect(freeze).toMatchObject({
        slo: "prod-deploys",
        alert: FREEZE_ALERT,
        summary: "prod-deploys: deployments frozen, the error budget is exhausted (-25% left)",
        annotations: expect.objectContaining({
          remaining_ratio: "-0.25",
          eligible: "64",
          bad: "4",
          unblock: expect.stringContaining("--change hotfix"),
        }),
      });
      expect(
        String((freeze?.annotations as Record<string, string> | undefined)?.description),
      ).toContain("4 bad of 64 eligible");
      expect(granted).toMatchObject({
        summary: expect.stringContaining(
          "approval granted by alice for fraud-detector 7 → production",
        ),
        endsAt: new Date(approval.expiresAt).toISOString(),
        annotations: expect.objectContaining({
          policy_state: "frozen",
          reason: "registry fix verified",
        }),
      });
      expect(
        String((granted?.annotations as Record<string, string> | undefined)?.description),
      ).toContain("An approval never lifts a freeze");
      expect(unfrozen).toMatchObject({
        summary: "prod-deploys: deployment freeze ended (the error budget recovered)",
        annotations: expect.objectContaining({
          policy_state: "approval_required",
          eligible: "104",
        }),
      });

      // Slack says it in the title; PagerDuty opens and closes one incident for the freeze and
      // records the approval as a change event; Alertmanager ends the approval at its expiry.
      const slack = bodies("/slack").map((b) => String(b.text));
      expect(slack.filter((t) => !t.startsWith("[FIRING]") && !t.startsWith("[RESOLVED]"))).toEqual(
        [
          expect.stringMatching(/^\[FROZEN\] prod-deploys: deployments frozen/),
          expect.stringMatching(/^\[APPROVED\] prod-deploys: approval granted/),
          expect.stringMatching(/^\[FREEZE ENDED\] prod-deploys: deployment freeze ended/),
        ],
      );
      const pager = bodies("/v2/enqueue").filter((b) => String(b.dedup_key).includes(FREEZE_ALERT));
      expect(pager.map((b) => b.event_action)).toEqual(["trigger", "resolve"]);
      expect(pager[0]?.dedup_key).toBe(pager[1]?.dedup_key);
      const changes = bodies("/v2/change/enqueue");
      expect(changes).toHaveLength(1);
      expect(changes[0]).toMatchObject({
        routing_key: "R0UT1NGKEY",
        payload: { summary: expect.stringContaining("approval granted by alice") },
      });
      const am = bodies("/am/api/v2/alerts")
        .flatMap((b) => b as unknown as Record<string, unknown>[])
        .filter((a) => (a.labels as Record<string, string>).alertname === "approval-granted");
      expect(am).toHaveLength(1);
      expect(am[0]?.endsAt).toBe(new Date(approval.expiresAt).toISOString());
    });
  });
}
