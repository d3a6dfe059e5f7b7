import type { AuditEntry } from "../core/policy/audit-entry.js";
import type { AuditFilter, Store } from "../store/store.js";

/** The audit log, newest first, filtered (the read side of GET /api/v1/audit). */
export function listAudit(store: Store, filter: AuditFilter): Promise<readonly AuditEntry[]> {
  return store.listAudit(filter);
}
