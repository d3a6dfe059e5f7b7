import type { Approval } from "../core/policy/approval.js";
import type { AuditEntry } from "../core/policy/audit-entry.js";
import { DeploysloError } from "../core/primitives/error-codes.js";
import type { Store } from "../store/store.js";

export interface ApprovalContext {
  readonly store: Store;
  now(): number;
  newId(): string;
}

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

/** Grants an approval and writes it to the audit log in one transaction. */
export async function grantApproval(
  ctx: ApprovalContext,
  input: ApprovalInput,
): Promise<{ readonly approval: Approval; readonly audit: AuditEntry }> {
  if (input.reason.trim() === "")
    throw new DeploysloError(
      "INVALID_REQUEST",
      "an approval needs a reason: say why it is safe to ship",
    );
  if (!(input.validForMs > 0 && input.validForMs <= MAX_APPROVAL_MS))
    throw new DeploysloError("INVALID_REQUEST", "an approval lasts more than 0 and at most 7 days");
  const grantedAt = ctx.now();
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
  const audit = await ctx.store.grantApproval(approval, {
    at: grantedAt,
    kind: "approval",
    actor: input.approver,
    model: approval.model,
    environment: approval.environment,
    version: approval.version,
    decision: null,
    detail: { ...approval },
  });
  return { approval, audit };
}
