import type { GateRequest } from "../core/policy/approval.js";
import type { AuditEntry } from "../core/policy/audit-entry.js";
import { auditOfDecision } from "../core/policy/audit-of-decision.js";
import { decideGate, type GatedSlo } from "../core/policy/decide-gate.js";
import type { GateDecision } from "../core/policy/gate-decision.js";
import { withHistoryLabels } from "../core/policy/selects-promotion.js";
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
  const result = await ctx.engine.status(at);
  const gated: GatedSlo[] = [];
  for (const status of result.slos) {
    const slo = ctx.engine.find(status.name);
    if (slo !== undefined) gated.push({ slo, status });
  }
  const { attempts } = await ctx.store.listAttempts(
    { model: input.request.model, environment: input.request.environment, to: at + 1 },
    { limit: 1 },
  );
  const request = withHistoryLabels(input.request, attempts[0]?.labels);
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
