import { formatTimestamp } from "../primitives/timestamp.js";
import type { GateRequest } from "./approval.js";
import type { NewAuditEntry } from "./audit-entry.js";
import type { GateDecision } from "./gate-decision.js";

/**
 * The audit entry of one gate decision: the request, the answer, and every SLO's numbers as of
 * the instant the gate evaluated them. An allow that only an exempt change type made possible
 * is an `exemption`.
 */
export function auditOfDecision(
  request: GateRequest,
  decision: GateDecision,
  evaluatedAt: number,
  writtenAt: number,
  actor: string,
): NewAuditEntry {
  const exempted = decision.slos.some((slo) => slo.exemptedBy !== null);
  return {
    at: writtenAt,
    kind: decision.decision === "allow" && exempted ? "exemption" : "gate_decision",
    actor,
    model: request.model,
    environment: request.environment,
    version: request.version,
    decision: decision.decision,
    slos: decision.slos.map((slo) => slo.name),
    detail: {
      evaluatedAt: formatTimestamp(evaluatedAt),
      change: request.change,
      labels: request.labels,
      reasons: decision.reasons,
      slos: decision.slos,
    },
  };
}
