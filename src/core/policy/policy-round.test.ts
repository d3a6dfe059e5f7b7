import { describe, expect, it } from "vitest";
import { pagingSlo } from "../../../test/support/alert-scenario.js";
import type { SloStatus } from "../evaluation/evaluation-result.js";
import { FREEZE_ALERT } from "./freeze-notification.js";
import { closePolicyRound, emptyPolicyRound, stepPolicyState } from "./policy-round.js";

const AT = Date.parse("2026-12-01T12:00:00Z");

function statusOf(remainingRatio: number): SloStatus {
  return {
    name: "prod-deploys",
    description: null,
    indicator: { type: "deployment" },
    window: {
      kind: "rolling",
      length: "30d",
      start: "2026-11-01T12:00:00.000Z",
      end: "2026-12-01T12:00:00.000Z",
      lengthSeconds: 2_592_000,
    },
    thresholdSeconds: 600,
    target: 0.95,
    percentile: null,
    budgeting: "occurrences",
    eligible: 100,
    good: 95,
    bad: 5,
    inProgress: 0,
    compliance: 0.95,
    met: true,
    errorBudget: {
      total: 5,
      consumed: 5 * (1 - remainingRatio),
      remaining: 5 * remainingRatio,
      remainingRatio,
      unit: "attempts",
      perAttemptSeconds: null,
    },
    burnRates: { "1h": 0, "6h": 0, "1d": 0, "3d": 0, window: 1 },
    forecast: { exhaustsAt: null },
    percentiles: { p50: 60, p90: 120, p95: 150, p99: 280, max: 400 },
  };
}

describe("the policy round", () => {
  const slo = pagingSlo();

  it("announces a freeze once, first seen or entered, and its end to the same targets", () => {
    const first = emptyPolicyRound();
    stepPolicyState(slo, statusOf(-0.1), undefined, AT, first);
    expect(first.notifications.map((n) => [n.kind, n.state, n.key, n.targets])).toEqual([
      ["freeze", "firing", `prod-deploys/${FREEZE_ALERT}/${AT}/firing`, ["hook"]],
    ]);
    const [frozen] = first.states;
    expect(frozen).toMatchObject({ state: "frozen", since: AT });

    const again = emptyPolicyRound();
    stepPolicyState(slo, statusOf(-0.2), frozen, AT + 60_000, again);
    expect(again.notifications).toEqual([]);
    expect(again.states[0]).toMatchObject({ state: "frozen", since: AT, evaluatedAt: AT + 60_000 });

    // The targets moved meanwhile: the end still goes where the start went.
    const moved = { ...slo, alerting: { ...slo.alerting, notify: ["elsewhere"] } };
    const end = emptyPolicyRound();
    stepPolicyState(moved, statusOf(0.4), again.states[0], AT + 3_600_000, end);
    expect(end.notifications.map((n) => [n.state, n.key, n.targets, n.endsAt])).toEqual([
      ["resolved", `prod-deploys/${FREEZE_ALERT}/${AT}/resolved`, ["hook"], AT + 3_600_000],
    ]);
    expect(end.states[0]).toMatchObject({ state: "open", since: AT + 3_600_000, freeze: null });
  });

  it("saves open ↔ approval required without notifying, and nothing to notify without targets", () => {
    const held = emptyPolicyRound();
    const strict = { ...slo, policy: { ...slo.policy, approvalBelow: 0.5 } };
    stepPolicyState(strict, statusOf(0.3), undefined, AT, held);
    expect(held.notifications).toEqual([]);
    expect(held.states[0]?.state).toBe("approval_required");
    const silent = { ...slo, alerting: { ...slo.alerting, notify: [] } };
    const round = emptyPolicyRound();
    stepPolicyState(silent, statusOf(-1), undefined, AT, round);
    expect(round.notifications).toEqual([]);
    expect(round.states[0]).toMatchObject({ state: "frozen", freeze: null });
  });

  it("ends the freeze of an SLO that left the configuration, and forgets it", () => {
    const first = emptyPolicyRound();
    stepPolicyState(slo, statusOf(-0.1), undefined, AT, first);
    const closed = closePolicyRound(emptyPolicyRound(), first.states, AT + 60_000);
    expect(closed.removed).toEqual(["prod-deploys"]);
    expect(closed.notifications.map((n) => [n.state, n.annotations.summary])).toEqual([
      [
        "resolved",
        "prod-deploys: deployment freeze ended (the SLO was removed from the configuration)",
      ],
    ]);
  });
});
