import { describe, expect, it } from "vitest";
import type { GateDecision, GateDecisionKind, SloGateVerdict } from "./gate-decision.js";
import { redactDecision } from "./redact-decision.js";

function verdict(name: string, decision: GateDecisionKind): SloGateVerdict {
  return {
    name,
    decision,
    remainingRatio: decision === "allow" ? 0.5 : -0.2,
    reason: `${name}: ${decision}`,
    unblock: null,
    exemptedBy: null,
    approvalId: null,
    inputs: { eligible: 10, bad: 2, remainingRatio: 0.5, windowStart: "s", windowEnd: "e" },
  };
}

const mine = (name: string) => name.startsWith("risk-");

describe("redactDecision", () => {
  it("keeps the decision, drops hidden verdicts and counts the hidden ones that held it", () => {
    const decision: GateDecision = {
      decision: "deny",
      reasons: ["risk-a: deny", "fleet: deny", "other: deny"],
      slos: [verdict("risk-a", "deny"), verdict("fleet", "deny"), verdict("other", "deny")],
    };
    expect(redactDecision(decision, mine)).toEqual({
      decision: "deny",
      reasons: ["risk-a: deny", "2 SLOs outside this token's scope decided deny"],
      slos: [verdict("risk-a", "deny")],
    });
  });

  it("says nothing of hidden SLOs that did not hold a denied promotion", () => {
    const decision: GateDecision = {
      decision: "deny",
      reasons: ["risk-a: deny"],
      slos: [verdict("risk-a", "deny"), verdict("fleet", "allow")],
    };
    expect(redactDecision(decision, mine).reasons).toEqual(["risk-a: deny"]);
  });

  it("leaves a decision with only visible SLOs, or none, as it is", () => {
    const none: GateDecision = { decision: "allow", reasons: ["no SLO selects …"], slos: [] };
    expect(redactDecision(none, mine)).toBe(none);
    const own: GateDecision = {
      decision: "allow",
      reasons: ["risk-a: allow"],
      slos: [verdict("risk-a", "allow")],
    };
    expect(redactDecision(own, mine)).toBe(own);
  });
});
