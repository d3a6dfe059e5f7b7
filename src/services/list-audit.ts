import type { AuditEntry } from "../core/policy/audit-entry.js";
import type {
  GateDecision,
  GateDecisionKind,
  SloGateVerdict,
} from "../core/policy/gate-decision.js";
import { redactDecision } from "../core/policy/redact-decision.js";
import type { AuditFilter } from "../store/store.js";
import { maySeeAuditEntry, type ReadScope, visibleSloNames } from "./read-scope.js";
import type { UseCaseCall } from "./service-context.js";

/** Most entries one scoped request reads before it answers what it found. */
export const MAX_AUDIT_SCANNED = 5_000;

export interface AuditPage {
  readonly entries: readonly AuditEntry[];
  /** Pass as `before` for the next page; null when there is none. */
  readonly nextBefore: number | null;
}

function isVerdicts(value: unknown): value is SloGateVerdict[] {
  return (
    Array.isArray(value) &&
    value.every(
      (v) =>
        typeof v === "object" && v !== null && typeof (v as { name?: unknown }).name === "string",
    )
  );
}

/** A gate decision's entry with the verdicts of SLOs the reader may not see redacted. */
function redactEntry(entry: AuditEntry, visible: (slo: string) => boolean): AuditEntry {
  const { slos, reasons } = entry.detail;
  // An approval's entry lists the SLOs it counts for, each with its policy state.
  if (entry.decision === null && isVerdicts(slos))
    return { ...entry, detail: { ...entry.detail, slos: slos.filter((v) => visible(v.name)) } };
  if (entry.decision === null || !isVerdicts(slos) || !Array.isArray(reasons)) return entry;
  const decision: GateDecision = {
    decision: entry.decision as GateDecisionKind,
    reasons: reasons.map(String),
    slos,
  };
  const shown = redactDecision(decision, visible);
  if (shown === decision) return entry;
  return { ...entry, detail: { ...entry.detail, reasons: shown.reasons, slos: shown.slos } };
}

/**
 * The audit log, newest first, filtered (the read side of GET /api/v1/audit). A scoped reader
 * sees the entries of promotions in its scope, with the verdicts of SLOs it may not see
 * replaced by a count; its pages are read on until `limit` such entries are found or
 * MAX_AUDIT_SCANNED entries were read, so a page may hold fewer than `limit` entries while
 * `nextBefore` still leads on.
 */
export async function listAudit({
  ctx: { store, engine },
  input: { scope, ...filter },
}: UseCaseCall<
  "store" | "engine",
  AuditFilter & { readonly scope: ReadScope }
>): Promise<AuditPage> {
  if (scope === undefined) {
    const entries = await store.listAudit(filter);
    const last = entries[entries.length - 1];
    return {
      entries,
      nextBefore: entries.length === filter.limit && last !== undefined ? last.seq : null,
    };
  }
  const visible = visibleSloNames(scope, engine.slos);
  const found: AuditEntry[] = [];
  let before = filter.before;
  let scanned = 0;
  while (scanned < MAX_AUDIT_SCANNED) {
    const page = await store.listAudit({ ...filter, ...(before === undefined ? {} : { before }) });
    for (const entry of page) {
      scanned++;
      before = entry.seq;
      if (!maySeeAuditEntry(scope, entry)) continue;
      // The SLOs an entry concerns are names too: hidden ones are left out, as in its detail.
      const shown = redactEntry(entry, visible);
      found.push({ ...shown, slos: shown.slos.filter(visible) });
      if (found.length === filter.limit) return { entries: found, nextBefore: entry.seq };
    }
    if (page.length < filter.limit) return { entries: found, nextBefore: null };
  }
  return { entries: found, nextBefore: before ?? null };
}
