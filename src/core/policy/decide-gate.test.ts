import { describe, expect, it } from "vitest";
import { makeSlo } from "../../../test/support/make-attempt.js";
import type { SloStatus } from "../evaluation/evaluation-result.js";
import type { GatePolicy } from "../spec/gate-policy.js";
import type { Slo } from "../spec/slo.js";
import type { Approval, GateRequest } from "./approval.js";
import { decideGate, type GatedSlo } from "./decide-gate.js";
import { withHistoryLabels } from "./selects-promotion.js";

const AT = Date.parse("2026-12-01T12:00:00Z");
const HOUR = 3_600_000;

function status(name: string, remainingRatio: number): SloStatus {
  return {
    name,
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

function gated(
  name: string,
  remaining: number,
  policy: Partial<GatePolicy> = {},
  slo: Partial<Slo> = {},
): GatedSlo {
  const base = makeSlo({
    name,
    selector: { environment: "production", model: "fraud-*", labels: {} },
    ...slo,
  });
  return {
    slo: { ...base, policy: { ...base.policy, ...policy } },
    status: status(name, remaining),
  };
}

const request: GateRequest = {
  model: "fraud-detector",
  environment: "production",
  version: "7",
  change: "normal",
  labels: {},
};

function approval(fields: Partial<Approval> = {}): Approval {
  return {
    id: "apr-1",
    approver: "alice",
    reason: "known flaky registry, fix verified",
    model: "fraud-detector",
    environment: "production",
    version: null,
    grantedAt: AT - HOUR,
    expiresAt: AT + HOUR,
    ...fields,
  };
}

describe("decideGate", () => {
  it("allows while budget is left, with one reason per SLO", () => {
    const decision = decideGate(request, [gated("prod-deploys", 0.6)], [], AT);
    expect(decision.decision).toBe("allow");
    expect(decision.reasons).toEqual(["prod-deploys: 60% of its error budget left"]);
    expect(decision.slos[0]).toMatchObject({
      decision: "allow",
      remainingRatio: 0.6,
      unblock: null,
    });
    expect(decision.slos[0]?.inputs).toEqual({
      eligible: 200,
      bad: 2,
      remainingRatio: 0.6,
      windowStart: "2026-11-01T12:00:00.000Z",
      windowEnd: "2026-12-01T12:00:00.000Z",
    });
  });

  it("denies a normal change when the budget is exhausted, saying what would unblock it", () => {
    const decision = decideGate(request, [gated("prod-deploys", -0.5)], [], AT);
    expect(decision.decision).toBe("deny");
    expect(decision.reasons).toEqual([
      "prod-deploys: frozen, the error budget is exhausted (-50% of its error budget left)",
    ]);
    expect(decision.slos[0]?.unblock).toContain("--change hotfix|rollback");
  });

  it("denies at exactly zero budget left", () => {
    expect(decideGate(request, [gated("prod-deploys", 0)], [], AT).decision).toBe("deny");
  });

  it("lets an exempt change through a freeze, and records which type exempted it", () => {
    const decision = decideGate(
      { ...request, change: "hotfix" },
      [gated("prod-deploys", -1)],
      [],
      AT,
    );
    expect(decision.decision).toBe("allow");
    expect(decision.slos[0]?.exemptedBy).toBe("hotfix");
    expect(decision.reasons[0]).toContain("a hotfix passes the freeze");
  });

  it("does not exempt a change type the policy does not list", () => {
    const slo = gated("prod-deploys", -1, { exempt: ["rollback"] });
    expect(decideGate({ ...request, change: "hotfix" }, [slo], [], AT).decision).toBe("deny");
  });

  it("does not freeze when freezeWhenExhausted is off", () => {
    const slo = gated("prod-deploys", -1, { freezeWhenExhausted: false });
    const decision = decideGate(request, [slo], [], AT);
    expect(decision.decision).toBe("allow");
    expect(decision.reasons).toEqual([
      "prod-deploys: -100% of its error budget left, but its policy does not freeze (spec.policy.freezeWhenExhausted)",
    ]);
  });

  it("requires an approval below approvalBelow, and a covering approval allows", () => {
    const slo = gated("prod-deploys", 0.2, { approvalBelow: 0.25 });
    const held = decideGate(request, [slo], [], AT);
    expect(held.decision).toBe("approval_required");
    expect(held.reasons).toEqual([
      "prod-deploys: approval required, 20% of its error budget left, under 25%",
    ]);
    expect(held.slos[0]?.unblock).toBe(
      'an approver runs: deployslo approve --model fraud-detector --environment production --version 7 --reason "…"',
    );
    const approved = decideGate(request, [slo], [approval()], AT);
    expect(approved.decision).toBe("allow");
    expect(approved.slos[0]?.approvalId).toBe("apr-1");
    expect(approved.reasons[0]).toContain("approved by alice");
  });

  it("ignores an expired, not yet granted or out-of-scope approval", () => {
    const slo = gated("prod-deploys", 0.2, { approvalBelow: 0.25 });
    const ignored = [
      approval({ expiresAt: AT }),
      approval({ grantedAt: AT + 1 }),
      approval({ version: "8" }),
      approval({ model: "fraud-scorer" }),
      approval({ environment: "staging" }),
    ];
    for (const a of ignored) {
      expect(decideGate(request, [slo], [a], AT).decision, JSON.stringify(a)).toBe(
        "approval_required",
      );
    }
    expect(decideGate(request, [slo], [approval({ version: "7" })], AT).decision).toBe("allow");
  });

  it("never lets an approval lift a freeze", () => {
    const slo = gated("prod-deploys", -0.1, { approvalBelow: 0.25 });
    expect(decideGate(request, [slo], [approval()], AT).decision).toBe("deny");
  });

  it("lets an exempt change skip the approval", () => {
    const slo = gated("prod-deploys", 0.1, { approvalBelow: 0.25 });
    const decision = decideGate({ ...request, change: "rollback" }, [slo], [], AT);
    expect(decision.decision).toBe("allow");
    expect(decision.slos[0]?.exemptedBy).toBe("rollback");
  });

  it("decides together: any deny denies, else any approval requirement holds", () => {
    const open = gated("a-open", 0.9);
    const approval = gated("b-approval", 0.1, { approvalBelow: 0.25 });
    const frozen = gated("c-frozen", -0.2);
    const both = decideGate(request, [open, approval], [], AT);
    expect(both.decision).toBe("approval_required");
    expect(both.reasons).toHaveLength(1);
    const all = decideGate(request, [open, approval, frozen], [], AT);
    expect(all.decision).toBe("deny");
    expect(all.reasons).toEqual([
      "c-frozen: frozen, the error budget is exhausted (-20% of its error budget left)",
    ]);
    expect(all.slos.map((s) => s.decision)).toEqual(["allow", "approval_required", "deny"]);
  });

  it("allows when no SLO selects the promotion, saying so", () => {
    const other = gated(
      "staging",
      -1,
      {},
      {
        selector: { environment: "staging", model: null, labels: {} },
      },
    );
    const decision = decideGate(request, [other], [], AT);
    expect(decision).toEqual({
      decision: "allow",
      reasons: [
        "no SLO selects model fraud-detector in environment production: nothing to enforce",
      ],
      slos: [],
    });
  });

  it("matches the labels an SLO selects on, taking missing ones from the model's history", () => {
    const teamSlo = gated(
      "team-a",
      -1,
      {},
      {
        selector: { environment: "production", model: null, labels: { team: "a" } },
      },
    );
    expect(decideGate({ ...request, labels: { team: "b" } }, [teamSlo], [], AT).slos).toEqual([]);
    expect(decideGate({ ...request, labels: { team: "a" } }, [teamSlo], [], AT).decision).toBe(
      "deny",
    );
    expect(decideGate(request, [teamSlo], [], AT).slos).toEqual([]);
    const fromHistory = withHistoryLabels(request, { team: "a", tier: "1" });
    expect(fromHistory.labels).toEqual({ team: "a", tier: "1" });
    expect(decideGate(fromHistory, [teamSlo], [], AT).decision).toBe("deny");
    const given = withHistoryLabels({ ...request, labels: { team: "b" } }, { team: "a" });
    expect(decideGate(given, [teamSlo], [], AT).slos).toEqual([]);
    expect(withHistoryLabels(request, undefined)).toBe(request);
  });
});
