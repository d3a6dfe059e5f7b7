import { evaluateSlo } from "../core/evaluation/evaluate-slo.js";
import type { GateRequest } from "../core/policy/approval.js";
import type { AuditEntry } from "../core/policy/audit-entry.js";
import { auditOfDecision } from "../core/policy/audit-of-decision.js";
import { decideGate, type GatedSlo } from "../core/policy/decide-gate.js";
import type { GateDecision } from "../core/policy/gate-decision.js";
import { redactDecision } from "../core/policy/redact-decision.js";
import { selectsPromotion, withHistoryLabels } from "../core/policy/selects-promotion.js";
import { outOfScope } from "../core/policy/token-scope.js";
import { DeploysloError } from "../core/primitives/error-codes.js";
import { type ReadScope, visibleSloNames } from "./read-scope.js";
import type { UseCaseCall } from "./service-context.js";

export interface GateInput {
  readonly request: GateRequest;
  /** The instant to evaluate the SLOs as of; default now. The audit entry is written now. */
  readonly at?: number;
  /** Who asked (the token's name). */
  readonly actor: string;
  /**
   * What the asker may see: a promotion outside it is refused (FORBIDDEN, nothing written), and
   * the answer names only the SLOs within it (the audit log keeps the whole decision).
   */
  readonly scope?: ReadScope;
}

export interface GateOutcome {
  /** The decision as the asker may see it (see GateInput.scope). */
  readonly decision: GateDecision;
  readonly at: number;
  readonly audit: AuditEntry;
}

/**
 * The service's deployment gate: evaluates every SLO as of `at`, reads the approvals still
 * valid then, decides, and writes the decision to the audit log before answering, so that no
 * answer is ever given that the log does not hold.
 */
export async function decidePromotionGate({
  ctx,
  input,
}: UseCaseCall<"store" | "engine" | "clock", GateInput>): Promise<GateOutcome> {
  const now = ctx.clock.now();
  const at = input.at ?? now;
  const { attempts } = await ctx.store.listAttempts(
    { model: input.request.model, environment: input.request.environment, to: at + 1 },
    { limit: 1 },
  );
  const request = withHistoryLabels(input.request, attempts[0]?.labels);
  const refused = input.scope === undefined ? undefined : outOfScope(input.scope, request);
  if (refused !== undefined) {
    throw new DeploysloError(
      "FORBIDDEN",
      `token "${input.actor}" may not ask about this promotion: ${refused}`,
    );
  }
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
  const shown =
    input.scope === undefined
      ? decision
      : redactDecision(decision, visibleSloNames(input.scope, ctx.engine.slos));
  return { decision: shown, at, audit };
}
