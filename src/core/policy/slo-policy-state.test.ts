import { describe, expect, it } from "vitest";
import { makeSlo } from "../../../test/support/make-attempt.js";
import type { SloStatus } from "../evaluation/evaluation-result.js";
import type { GatePolicy } from "../spec/gate-policy.js";
import { REPORT_ONLY_POLICY } from "../spec/gate-policy.js";
import type { Slo } from "../spec/slo.js";
import { decideGate } from "./decide-gate.js";
import { sloPolicyState } from "./slo-policy-state.js";

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
    thresholdSeconds: 300,
    target: 0.99,
    percentile: null,
    budgeting: "occurrences",
    eligible: 200,
    good: 198,
    bad: 2,
    inProgress: 0,
    compliance: 0.99,
    met: true,
    errorBudget: {
      total: 2,
      consumed: 2 * (1 - remainingRatio),
      remaining: 2 * remainingRatio,
      remainingRatio,
      unit: "attempts",
      perAttemptSeconds: null,
    },
    burnRates: { "1h": 0, "6h": 0, "1d": 0, "3d": 0, window: 1 },
    forecast: { exhaustsAt: null },
    percentiles: { p50: 60, p90: 120, p95: 150, p99: 280, max: 400 },
  };
}

function sloWith(policy: Partial<GatePolicy>, fields: Partial<Slo> = {}): Slo {
  const base = makeSlo({
    name: "prod-deploys",
    selector: { environment: "production", model: null, labels: {} },
    ...fields,
  });
  return { ...base, policy: { ...base.policy, ...policy } };
}

describe("sloPolicyState", () => {
  it("is frozen at or below zero budget, saying what unblocks it", () => {
    const state = sloPolicyState(sloWith({}), statusOf(-0.2));
    expect(state).toEqual({
      state: "frozen",
      reason:
        "frozen: the error budget is exhausted (-20% of the error budget left); normal changes are denied (no spec.policy, the default: freeze when exhausted)",
      unblock:
        "wait until failures leave the window and the budget recovers, or ship a change of an exempt type (--change hotfix|rollback)",
      remainingRatio: -0.2,
      approvalBelow: null,
      freezeWhenExhausted: true,
      exempt: ["hotfix", "rollback"],
      declared: false,
      reportOnly: false,
    });
    expect(sloPolicyState(sloWith({}), statusOf(0)).state).toBe("frozen");
  });

  it("requires approval under approvalBelow, and is open at or above it", () => {
    const slo = sloWith({ approvalBelow: 0.25, declared: true });
    const held = sloPolicyState(slo, statusOf(0.2));
    expect(held.state).toBe("approval_required");
    expect(held.reason).toBe(
      "approval required: 20% of the error budget left, under 25% (policy: approval below 25%, freeze when exhausted)",
    );
    expect(held.unblock).toContain("deployslo approve");
    const open = sloPolicyState(slo, statusOf(0.25));
    expect(open.state).toBe("open");
    expect(open.unblock).toBeNull();
    expect(open.reason).toBe(
      "open: 25% of the error budget left (policy: approval below 25%, freeze when exhausted)",
    );
  });

  it("says so for a report-only dependency SLO, even with its budget spent", () => {
    const dependency = sloWith(REPORT_ONLY_POLICY, {
      indicator: { kind: "dependency", dependency: "registry_pull" },
    });
    const state = sloPolicyState(dependency, statusOf(-1));
    expect(state).toMatchObject({ state: "open", reportOnly: true, declared: false });
    expect(state.reason).toBe(
      "open: -100% of the error budget left (report only: a dependency SLO never holds a promotion unless its spec.policy says so)",
    );
    const declared = sloPolicyState(
      sloWith({ freezeWhenExhausted: false, declared: true }),
      statusOf(-1),
    );
    expect(declared.reason).toContain("report only: its policy neither freezes nor asks");
  });

  it("agrees with the gate's answer to a normal change without approvals", () => {
    const policies: Partial<GatePolicy>[] = [
      {},
      { approvalBelow: 0.25 },
      { approvalBelow: 1, freezeWhenExhausted: false },
      { freezeWhenExhausted: false },
    ];
    const request = {
      model: "m",
      environment: "production",
      version: null,
      change: "normal",
      labels: {},
    } as const;
    const asState = { allow: "open", deny: "frozen", approval_required: "approval_required" };
    for (const policy of policies) {
      for (const remaining of [-1, -0.01, 0, 0.01, 0.24, 0.25, 0.26, 1]) {
        const slo = sloWith(policy);
        const status = statusOf(remaining);
        const gate = decideGate(request, [{ slo, status }], [], 0);
        expect(sloPolicyState(slo, status).state, JSON.stringify([policy, remaining])).toBe(
          asState[gate.decision],
        );
      }
    }
  });
});
