import type { Approval } from "../core/policy/approval.js";
import type { ApprovalFilter } from "../store/store.js";
import { maySeeApproval, type ReadScope } from "./read-scope.js";
import type { UseCaseCall } from "./service-context.js";

/**
 * Approvals newest first (GET /api/v1/approvals), those the reader may see: of its models and
 * environments, and none for a scope that requires labels (an approval carries none).
 */
export async function listApprovals({
  ctx: { store },
  input: { scope, ...filter },
}: UseCaseCall<"store", ApprovalFilter & { readonly scope: ReadScope }>): Promise<
  readonly Approval[]
> {
  const approvals = await store.listApprovals(filter);
  return approvals.filter((approval) => maySeeApproval(scope, approval));
}
