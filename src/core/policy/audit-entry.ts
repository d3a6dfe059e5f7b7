import type { AuditKind } from "../../contract/audit-kind-schema.js";
import { allMembers } from "../primitives/all-members.js";
import type { GateDecisionKind } from "./gate-decision.js";

/**
 * What an audit entry records: a gate decision, a gate decision that an exempt change type
 * let through, or an approval granted.
 */
export type { AuditKind };
export const AUDIT_KINDS = allMembers<AuditKind>()(["gate_decision", "exemption", "approval"]);

/** One entry of the append-only audit log. */
export interface AuditEntry {
  /** Order of writing, from 1. */
  readonly seq: number;
  /** When it was written, epoch ms. */
  readonly at: number;
  readonly kind: AuditKind;
  /** Who asked: the API token's name, or "cli" for an offline gate. */
  readonly actor: string;
  readonly model: string;
  readonly environment: string;
  readonly version: string | null;
  /** The gate's answer; null for an approval. */
  readonly decision: GateDecisionKind | null;
  /** The SLOs it concerns: those a decision weighed, those an approval counts for. */
  readonly slos: readonly string[];
  /** The decision with every SLO's numbers and the instant they are as of, or the approval. */
  readonly detail: Readonly<Record<string, unknown>>;
}

export type NewAuditEntry = Omit<AuditEntry, "seq">;
