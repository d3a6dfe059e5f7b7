import { z } from "zod";
import { AUDIT_KINDS } from "../../core/policy/audit-entry.js";
import { GATE_DECISIONS } from "../../core/policy/gate-decision.js";
import { CHANGE_TYPES } from "../../core/spec/gate-policy.js";
import { InstantSchema } from "./instant-schema.js";

const Name = z.string().min(1).max(256);

/** A promotion the gate is asked about. */
export const GateRequestSchema = z.object({
  model: Name.meta({ description: "the model to promote" }),
  environment: Name.meta({ description: "where to promote it" }),
  version: Name.optional().meta({ description: "the version (approvals may name one)" }),
  change: z.enum(CHANGE_TYPES).default("normal").meta({
    description: "kind of change: kinds a policy lists in `exempt` pass a freeze",
  }),
  labels: z
    .record(z.string().min(1).max(256), z.string().max(1024))
    .optional()
    .meta({ description: "the promotion's labels; default: those of the model's latest attempt" }),
  at: InstantSchema.optional().meta({ description: "decide as of this instant; default now" }),
});

export const SloGateVerdictSchema = z.object({
  name: z.string(),
  decision: z.enum(GATE_DECISIONS),
  remainingRatio: z.number(),
  reason: z.string(),
  unblock: z.string().nullable(),
  exemptedBy: z.enum(CHANGE_TYPES).nullable(),
  approvalId: z.string().nullable(),
  inputs: z.object({
    eligible: z.number().int(),
    bad: z.number().int(),
    remainingRatio: z.number(),
    windowStart: z.string(),
    windowEnd: z.string(),
  }),
});

export const GateAnswerSchema = z.object({
  decision: z.enum(GATE_DECISIONS),
  at: z.string().meta({ description: "the instant the SLOs were evaluated as of" }),
  reasons: z.array(z.string()),
  slos: z.array(SloGateVerdictSchema),
  auditSeq: z.number().int().meta({ description: "the decision's entry in the audit log" }),
});

/** Flagger's webhook payload (CanaryWebhookPayload). */
export const FlaggerPayloadSchema = z.object({
  name: Name,
  namespace: Name,
  phase: z.string().optional(),
  checksum: z.string().optional(),
  metadata: z.record(z.string(), z.string()).optional(),
});

export const ApprovalRequestSchema = z.object({
  model: Name,
  environment: Name,
  version: Name.optional(),
  reason: z.string().trim().min(1).max(2000).meta({ description: "why it is safe to ship" }),
  validFor: z
    .string()
    .default("4h")
    .meta({ description: "how long the approval counts, at most 7d; default 4h" }),
});

export const ApprovalSchema = z.object({
  id: z.string(),
  approver: z.string(),
  reason: z.string(),
  model: z.string(),
  environment: z.string(),
  version: z.string().nullable(),
  grantedAt: z.string(),
  expiresAt: z.string(),
});

export const AuditEntrySchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  kind: z.enum(AUDIT_KINDS),
  actor: z.string(),
  model: z.string(),
  environment: z.string(),
  version: z.string().nullable(),
  decision: z.enum(GATE_DECISIONS).nullable(),
  detail: z.record(z.string(), z.unknown()),
});
