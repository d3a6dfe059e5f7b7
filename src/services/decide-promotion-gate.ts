import { evaluateSlo } from "../core/evaluation/evaluate-slo.js";
import type { GateRequest } from "../core/policy/approval.js";
import type { AuditEntry } from "../core/policy/audit-entry.js";
import { auditOfDecision } from "../core/policy/audit-of-decision.js";
import { decideGate, type GatedSlo } from "../core/policy/decide-gate.js";
import type { GateDecision } from "../core/policy/gate-decision.js";
import { selectsPromotion, withHistoryLabels } from "../core/policy/selects-promotion.js";
import type { Store } from "../store/store.js";
import type { SloEngine } from "./slo-engine.js";

export interface GateContext {
  readonly store: Store;
  readonly engine: SloEngine;
  /** Epoch ms. */
  now(): number;
}

export interface GateInput {
  readonly request: GateRequest;
  /** The instant to evaluate the SLOs as of; default now. The audit entry is written now. */
  readonly at?: number;
  /** Who asked (the token's name). */
  readonly actor: string;
}

export interface GateOutcome {
  readonly decision: GateDecision;
  readonly at: number;
  readonly audit: AuditEntry;
}

/**
 * The service's deployment gate: evaluates every SLO as of `at`, reads the approvals still
 * valid then, decides, and writes the decision to the audit log before answering, so that no
 * answer is ever given that the log does not hold.
 */
export async function decidePromotionGate(
  ctx: GateContext,
  input: GateInput,
): Promise<GateOutcome> {
  const now = ctx.now();
  const at = input.at ?? now;
  const { attempts } = await ctx.store.listAttempts(
    { model: input.request.model, environment: input.request.environment, to: at + 1 },
    { limit: 1 },
  );
  const request = withHistoryLabels(input.request, attempts[0]?.labels);
  // Only the SLOs that select the promotion are evaluated: the gate answers in the time of a
  // few SLOs, not of every SLO the service holds.
  const gated: GatedSlo[] = await ctx.engine.read((slos, tables) =>
    slos
      .filter((slo) => selectsPromotion(slo.selector, request))
      .map((slo) => ({ slo, status: evaluateSlo(slo, tables, at) })),
  );
  const approvals = await ctx.store.listApprovals({
    model: input.request.model,
    environment: input.request.environment,
    activeAt: at,
  });
  const decision = decideGate(request, gated, approvals, at);
  const [audit] = await ctx.store.appendAudit([
    auditOfDecision(request, decision, at, now, input.actor),
  ]);
  if (audit === undefined) throw new Error("the gate decision's audit entry was not written");
  return { decision, at, audit };
}
