import type { GateDecisionKind } from "./gate-decision.js";

/**
 * What an audit entry records: a gate decision, a gate decision that an exempt change type
 * let through, or an approval granted.
 */
export const AUDIT_KINDS = ["gate_decision", "exemption", "approval"] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

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
  /** The decision with every SLO's numbers and the instant they are as of, or the approval. */
  readonly detail: Readonly<Record<string, unknown>>;
}

export type NewAuditEntry = Omit<AuditEntry, "seq">;
