import { MAX_SIMILAR, MIN_SIMILAR } from "../core/analysis/preflight-estimate.js";
import type { Attempt } from "../core/attempt/attempt.js";
import { evaluateSlo } from "../core/evaluation/evaluate-slo.js";
import type { GateRequest } from "../core/policy/approval.js";
import type { AuditEntry } from "../core/policy/audit-entry.js";
import { auditOfDecision } from "../core/policy/audit-of-decision.js";
import { decideGate, type GatedSlo } from "../core/policy/decide-gate.js";
import { estimateGate, withEstimate } from "../core/policy/estimate-gate.js";
import type { GateDecision } from "../core/policy/gate-decision.js";
import { redactDecision } from "../core/policy/redact-decision.js";
import { selectsPromotion, withHistoryLabels } from "../core/policy/selects-promotion.js";
import { outOfScope } from "../core/policy/token-scope.js";
import { DeploysloError } from "../core/primitives/error-codes.js";
import type { Store } from "../store/store.js";
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
 * The attempts a pre-flight estimate may rest on, newest first: the model's own in the
 * environment, and when it has too few, the environment's. Bounded reads, not the history.
 */
async function estimateHistory(
  store: Store,
  request: GateRequest,
  at: number,
): Promise<readonly Attempt[]> {
  const limit = MAX_SIMILAR + 50;
  const own = await store.listAttempts(
    { model: request.model, environment: request.environment, to: at + 1 },
    { limit },
  );
  // With enough of the model's own attempts the estimate never widens to the environment:
  // the gate reads one page, not two.
  const known = own.attempts.filter(
    (a) => a.outcome !== "in_progress" && a.outcome !== "cancelled",
  );
  if (known.length >= MIN_SIMILAR + 50) return own.attempts;
  const all = await store.listAttempts({ environment: request.environment, to: at + 1 }, { limit });
  const ids = new Set(own.attempts.map((a) => a.id));
  return [...own.attempts, ...all.attempts.filter((a) => !ids.has(a.id))].sort(
    (a, b) => b.startedAt - a.startedAt,
  );
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
  const history = await estimateHistory(ctx.store, input.request, at);
  const request = withHistoryLabels(
    input.request,
    history.find((a) => a.model === input.request.model)?.labels,
  );
  const refused = input.scope === undefined ? undefined : outOfScope(input.scope, request);
  if (refused !== undefined) {
    throw new DeploysloError(
      "FORBIDDEN",
      `token "${input.actor}" may not ask about this promotion: ${refused}`,
    );
  }
  // Only the SLOs that select the promotion are evaluated: the gate answers in the time of a
  // few SLOs, not of every SLO the service holds.
  const gated: GatedSlo[] = await ctx.engine.read(
    (slos, tables) =>
      slos
        .filter((slo) => selectsPromotion(slo.selector, request))
        .map((slo) => ({ slo, status: evaluateSlo(slo, tables, at) })),
    at,
  );
  const approvals = await ctx.store.listApprovals({
    model: input.request.model,
    environment: input.request.environment,
    activeAt: at,
  });
  const estimate = estimateGate(
    history,
    request,
    gated.map((g) => g.slo),
    at,
  );
  const decision = withEstimate(
    decideGate(request, gated, approvals, at),
    estimate,
    gated.map((g) => g.slo),
    request,
    approvals,
    at,
  );
  const [audit] = await ctx.store.appendAudit([
    auditOfDecision(request, decision, at, now, input.actor),
  ]);
  if (audit === undefined) throw new Error("the gate decision's audit entry was not written");
  // A scoped asker gets no estimate: the similar attempts it rests on may be other teams'.
  const shown: GateDecision =
    input.scope === undefined
      ? decision
      : {
          ...redactDecision(decision, visibleSloNames(input.scope, ctx.engine.slos)),
          estimate: null,
        };
  return { decision: shown, at, audit };
}
