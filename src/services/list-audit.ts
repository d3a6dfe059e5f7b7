import type { AuditEntry } from "../core/policy/audit-entry.js";
import type { AuditFilter } from "../store/store.js";
import type { UseCaseCall } from "./service-context.js";

/** The audit log, newest first, filtered (the read side of GET /api/v1/audit). */
export function listAudit({
  ctx,
  input: filter,
}: UseCaseCall<"store", AuditFilter>): Promise<readonly AuditEntry[]> {
  return ctx.store.listAudit(filter);
}
