import { describe, expect, it } from "vitest";
import type { Attempt } from "../attempt/attempt.js";
import { AttemptTables } from "../evaluation/attempt-tables.js";
import { evaluateSlo } from "../evaluation/evaluate-slo.js";
import { parseSloSpecs } from "../spec/parse-slo-specs.js";
import type { Approval, GateRequest } from "./approval.js";
import { decideGate } from "./decide-gate.js";
import { estimateGate, withEstimate } from "./estimate-gate.js";

const T0 = Date.UTC(2026, 9, 1);
const AT = T0 + 86_400_000;

const slos = parseSloSpecs(
  `apiVersion: deployslo/v1
kind: SLO
metadata: { name: careful }
spec:
  selector: { model: iris, environment: prod }
  objective: { threshold: 30s, target: 50% }
  window: 30d
  policy: { approvalAboveBreachProbability: 30% }
`,
  "slos.yaml",
).slos;

/** 20 attempts, `slow` of them serving in 60 s, the rest in 10 s. */
function history(slow: number): Attempt[] {
  return Array.from({ length: 20 }, (_, i) => {
    const startedAt = T0 + (20 - i) * 60_000;
    const servingAt = startedAt + (i < slow ? 60_000 : 10_000);
    return {
      id: `a${i}`,
      model: "iris",
      version: String(i),
      environment: "prod",
      labels: {},
      startedAt,
      servingAt,
      endedAt: servingAt,
      outcome: "succeeded" as const,
      stages: [],
      dependencies: [],
      attributes: {},
    };
  });
}

const request = (change: GateRequest["change"] = "normal"): GateRequest => ({
  model: "iris",
  environment: "prod",
  version: "21",
  change,
  labels: {},
});

function gate(slow: number, change: GateRequest["change"] = "normal", approvals: Approval[] = []) {
  const attempts = history(slow);
  const tables = AttemptTables.forSlos(slos);
  for (const a of attempts) tables.add(a);
  const gated = slos.map((slo) => ({ slo, status: evaluateSlo(slo, tables, AT) }));
  const r = request(change);
  const decision = decideGate(r, gated, approvals, AT);
  return withEstimate(decision, estimateGate(attempts, r, slos, AT), slos, r, approvals, AT);
}

describe("the breach-probability policy", () => {
  it("allows while the chance to breach is at most the limit", () => {
    // 5 slow of 20: (5 + ½) / 21 = 26%.
    const decision = gate(5);
    expect(decision.decision).toBe("allow");
    expect(decision.estimate?.slos[0]?.breachProbability).toBeCloseTo(5.5 / 21, 12);
    expect(decision.estimate).toMatchObject({ attempts: 20, p50Seconds: 10, p90Seconds: 60 });
  });

  it("requires an approval above it, saying the chance and the limit", () => {
    // 7 slow of 20: (7 + ½) / 21 = 36%; the budget (target 50%) still allows.
    const decision = gate(7);
    expect(decision.decision).toBe("approval_required");
    expect(decision.reasons).toEqual([
      "careful: approval required, a 35.7% chance to breach its 30s threshold, above 30%",
    ]);
  });

  it("lets an exempt change and a covering approval through", () => {
    expect(gate(7, "hotfix").decision).toBe("allow");
    const approval: Approval = {
      id: "ap1",
      model: "iris",
      environment: "prod",
      version: null,
      approver: "ana",
      reason: "known slow cold start",
      grantedAt: T0,
      expiresAt: AT + 3_600_000,
    };
    const approved = gate(7, "normal", [approval]);
    expect(approved.decision).toBe("allow");
    expect(approved.slos[0]?.approvalId).toBe("ap1");
  });

  it("has no estimate when no SLO selects the promotion", () => {
    const r = { ...request(), model: "other" };
    expect(estimateGate(history(0), r, slos, AT)).toBeNull();
  });
});
