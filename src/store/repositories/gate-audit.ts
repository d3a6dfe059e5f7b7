import { type Kysely, sql } from "kysely";
import type { Approval } from "../../core/policy/approval.js";
import type { AuditEntry, AuditKind, NewAuditEntry } from "../../core/policy/audit-entry.js";
import type { GateDecisionKind } from "../../core/policy/gate-decision.js";
import { chunks } from "../chunks.js";
import { clampLimit, MAX_AUDIT_PER_PAGE } from "../page-limits.js";
import { parseStoredJson } from "../parse-stored-json.js";
import type { Database } from "../schema.js";
import type { ApprovalFilter, AuditFilter } from "../store.js";
import { wholeMillis } from "../whole-millis.js";

/** 2 parameters a row. */
const SLO_ROWS_PER_INSERT = 1000;

/**
 * Appends entries after the last one, numbering them in order. Call inside the write
 * transaction, after StoreDialect.lockWriters, so that two writers never take the same seq.
 */
export async function appendAudit(
  db: Kysely<Database>,
  entries: readonly NewAuditEntry[],
): Promise<AuditEntry[]> {
  if (entries.length === 0) return [];
  const last = await db
    .selectFrom("audit_log")
    .select(sql<number | string | null>`max(seq)`.as("seq"))
    .executeTakeFirst();
  const first = Number(last?.seq ?? 0) + 1;
  const written = entries.map((entry, i) => ({ ...entry, seq: first + i }));
  await db
    .insertInto("audit_log")
    .values(
      written.map((entry) => ({
        seq: entry.seq,
        at: wholeMillis(entry.at, "audit entry: at"),
        kind: entry.kind,
        actor: entry.actor,
        model: entry.model,
        environment: entry.environment,
        version: entry.version,
        decision: entry.decision,
        detail: JSON.stringify(entry.detail),
      })),
    )
    .execute();
  const named = written.flatMap((entry) =>
    [...new Set(entry.slos)].map((slo) => ({ slo, seq: entry.seq })),
  );
  for (const chunk of chunks(named, SLO_ROWS_PER_INSERT)) {
    await db.insertInto("audit_slos").values(chunk).execute();
  }
  return written;
}

export async function insertApproval(db: Kysely<Database>, approval: Approval): Promise<void> {
  await db
    .insertInto("approvals")
    .values({
      id: approval.id,
      approver: approval.approver,
      reason: approval.reason,
      model: approval.model,
      environment: approval.environment,
      version: approval.version,
      granted_at: wholeMillis(approval.grantedAt, "approval: grantedAt"),
      expires_at: wholeMillis(approval.expiresAt, "approval: expiresAt"),
    })
    .execute();
}

/** Approvals of one model and environment that have not expired by `activeAt`, newest first. */
export async function listApprovals(
  db: Kysely<Database>,
  filter: ApprovalFilter,
): Promise<Approval[]> {
  let query = db.selectFrom("approvals").selectAll();
  if (filter.model !== undefined) query = query.where("model", "=", filter.model);
  if (filter.environment !== undefined) query = query.where("environment", "=", filter.environment);
  if (filter.activeAt !== undefined) query = query.where("expires_at", ">", filter.activeAt);
  const rows = await query
    .orderBy("granted_at", "desc")
    .orderBy("id", "desc")
    .limit(clampLimit(filter.limit ?? MAX_AUDIT_PER_PAGE, MAX_AUDIT_PER_PAGE))
    .execute();
  return rows.map((row) => ({
    id: row.id,
    approver: row.approver,
    reason: row.reason,
    model: row.model,
    environment: row.environment,
    version: row.version,
    grantedAt: Number(row.granted_at),
    expiresAt: Number(row.expires_at),
  }));
}

/** Audit entries, newest first; `filter.before` pages on from an earlier page's last seq. */
export async function listAudit(db: Kysely<Database>, filter: AuditFilter): Promise<AuditEntry[]> {
  let query = db.selectFrom("audit_log").selectAll();
  if (filter.kind !== undefined) query = query.where("kind", "=", filter.kind);
  const slo = filter.slo;
  if (slo !== undefined) {
    query = query.where("seq", "in", (eb) =>
      eb.selectFrom("audit_slos").select("seq").where("slo", "=", slo),
    );
  }
  if (filter.model !== undefined) query = query.where("model", "=", filter.model);
  if (filter.environment !== undefined) query = query.where("environment", "=", filter.environment);
  if (filter.decision !== undefined) query = query.where("decision", "=", filter.decision);
  if (filter.from !== undefined) query = query.where("at", ">=", filter.from);
  if (filter.to !== undefined) query = query.where("at", "<", filter.to);
  if (filter.before !== undefined) query = query.where("seq", "<", filter.before);
  const rows = await query
    .orderBy("seq", "desc")
    .limit(clampLimit(filter.limit, MAX_AUDIT_PER_PAGE))
    .execute();
  const slos = new Map<number, string[]>();
  for (const chunk of chunks(
    rows.map((row) => Number(row.seq)),
    SLO_ROWS_PER_INSERT,
  )) {
    const named = await db
      .selectFrom("audit_slos")
      .select(["seq", "slo"])
      .where("seq", "in", chunk)
      .orderBy("slo")
      .execute();
    for (const { seq, slo } of named) {
      const list = slos.get(Number(seq)) ?? [];
      list.push(slo);
      slos.set(Number(seq), list);
    }
  }
  return rows.map((row) => ({
    seq: Number(row.seq),
    at: Number(row.at),
    kind: row.kind as AuditKind,
    actor: row.actor,
    model: row.model,
    environment: row.environment,
    version: row.version,
    decision: row.decision as GateDecisionKind | null,
    slos: slos.get(Number(row.seq)) ?? [],
    detail: parseStoredJson<Record<string, unknown>>(row.detail, `audit entry ${row.seq}`),
  }));
}
