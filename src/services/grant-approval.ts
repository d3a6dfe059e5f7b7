import { evaluateSlo } from "../core/evaluation/evaluate-slo.js";
import type { Approval } from "../core/policy/approval.js";
import { approvalNotification } from "../core/policy/approval-notification.js";
import type { AuditEntry } from "../core/policy/audit-entry.js";
import { selectsPromotion, withHistoryLabels } from "../core/policy/selects-promotion.js";
import { sloPolicyState } from "../core/policy/slo-policy-state.js";
import { DeploysloError } from "../core/primitives/error-codes.js";
import type { ServiceContext } from "./service-context.js";

export interface ApprovalInput {
  readonly approver: string;
  readonly reason: string;
  readonly model: string;
  readonly environment: string;
  readonly version: string | null;
  /** How long it counts from now, ms. */
  readonly validForMs: number;
}

/** Longest an approval may count: a week. Longer consent is a policy change, not an approval. */
export const MAX_APPROVAL_MS = 7 * 86_400_000;

/**
 * Grants an approval, writes it to the audit log and enqueues its notification to the targets
 * of every SLO it counts for (those selecting the model and environment whose policy can hold
 * a promotion), in one transaction. The entry and notifications carry each SLO's policy state.
 */
export async function grantApproval({
  ctx,
  input,
}: {
  /** `newId` names the approval. */
  readonly ctx: Pick<ServiceContext, "store" | "clock" | "engine"> & {
    readonly newId: () => string;
  };
  readonly input: ApprovalInput;
}): Promise<{ readonly approval: Approval; readonly audit: AuditEntry }> {
  if (input.reason.trim() === "")
    throw new DeploysloError(
      "INVALID_REQUEST",
      "an approval needs a reason: say why it is safe to ship",
    );
  if (!(input.validForMs > 0 && input.validForMs <= MAX_APPROVAL_MS))
    throw new DeploysloError("INVALID_REQUEST", "an approval lasts more than 0 and at most 7 days");
  const grantedAt = ctx.clock.now();
  const approval: Approval = {
    id: ctx.newId(),
    approver: input.approver,
    reason: input.reason.trim(),
    model: input.model,
    environment: input.environment,
    version: input.version,
    grantedAt,
    expiresAt: grantedAt + input.validForMs,
  };
  // The SLOs it counts for are those the gate would weigh for this scope, labels included.
  const { attempts } = await ctx.store.listAttempts(
    { model: approval.model, environment: approval.environment, to: grantedAt + 1 },
    { limit: 1 },
  );
  const scope = withHistoryLabels(
    { ...approval, change: "normal", labels: {} },
    attempts[0]?.labels,
  );
  const counted = await ctx.engine.read(
    (slos, tables) =>
      slos
        .filter((slo) => selectsPromotion(slo.selector, scope))
        .map((slo) => ({ slo, policy: sloPolicyState(slo, evaluateSlo(slo, tables, grantedAt)) }))
        .filter(({ policy }) => !policy.reportOnly),
    grantedAt,
  );
  const audit = await ctx.store.grantApproval(
    approval,
    {
      at: grantedAt,
      kind: "approval",
      actor: input.approver,
      model: approval.model,
      environment: approval.environment,
      version: approval.version,
      decision: null,
      slos: counted.map(({ slo }) => slo.name),
      detail: {
        ...approval,
        slos: counted.map(({ slo, policy }) => ({ name: slo.name, ...policy })),
      },
    },
    counted.flatMap(({ slo, policy }) => approvalNotification(approval, slo, policy) ?? []),
  );
  return { approval, audit };
}
