import type { Generated, Insertable, Selectable } from "kysely";
import type { AlertTransitionRecord } from "../core/alerting/alert-record.js";
import type { AlertPhase } from "../core/alerting/step-alert.js";
import type { Outcome } from "../core/attempt/attempt.js";
import type { AttemptEventType } from "../core/attempt/attempt-event.js";
import type { NotificationState } from "../core/notification/alert-notification.js";
import type { DeliveryStatus } from "../core/notification/notification-delivery.js";
import type { AlertSeverity } from "../core/spec/alert-policy.js";
import type { AttemptExportStatus } from "./store.js";

/** One row per attempt; stages, dependencies, labels and attributes are JSON text. */
export interface AttemptsTable {
  id: string;
  /** Change sequence: a new, strictly increasing value on every insert or replace. */
  seq: number;
  model: string;
  version: string;
  environment: string;
  labels: string;
  started_at: number;
  serving_at: number | null;
  ended_at: number | null;
  outcome: Outcome;
  stages: string;
  dependencies: string;
  attributes: string;
  updated_at: number;
}

export interface EventsTable {
  id: string;
  attempt_id: string;
  type: AttemptEventType;
  at: number | null;
  /** The whole AttemptEvent as JSON. */
  body: string;
  /** Order of arrival, from counters.event_seq. */
  received_seq: number;
}

/** The latest record of an attempt that also has events (the attempt folds both). */
export interface AttemptRecordsTable {
  attempt_id: string;
  /** The record as an Attempt, JSON. */
  body: string;
}

/** A single row (id = 1) from which write transactions allocate sequence numbers. */
export interface CountersTable {
  id: number;
  attempt_seq: Generated<number>;
  event_seq: Generated<number>;
}

/** The notification outbox: one row per notification × target; see docs/notifications.md. */
export interface NotificationOutboxTable {
  key: string;
  target: string;
  slo: string;
  alert: string;
  state: NotificationState;
  at: number;
  starts_at: number;
  /** The whole AlertNotification as JSON. */
  notification: string;
  status: DeliveryStatus;
  attempts: Generated<number>;
  /** When a pending delivery is due; null once delivered or dead. */
  next_attempt_at: number | null;
  /** The replica delivering it now, until lease_until. */
  lease_owner: string | null;
  lease_until: number | null;
  last_error: string | null;
  last_status: number | null;
  created_at: number;
  updated_at: number;
  delivered_at: number | null;
}

/** The current state of each alert of each SLO; see docs/alerting.md, "In the service". */
export interface AlertStatesTable {
  slo: string;
  alert: string;
  severity: AlertSeverity;
  state: AlertPhase;
  since: number;
  active_at: number | null;
  starts_at: number | null;
  evaluated_at: number;
  /** JSON array of SLO names. */
  at_risk: string;
  /** The episode's firing AlertNotification as JSON, while firing. */
  firing: string | null;
  /** While firing: when its condition last held (hysteresis counts from there). */
  held_at: number | null;
}

/** The open incidents; see docs/alerting.md, "One incident, one page". */
export interface AlertIncidentsTable {
  key: string;
  slo: string;
  alert: string;
  starts_at: number;
  /** JSON arrays: SLO names, `slo/alert` names, the firing AlertNotifications sent. */
  slos: string;
  alerts: string;
  notified: string;
}

/** Recent alert transitions (pending, firing, resolved), pruned by age. */
export interface AlertTransitionsTable {
  slo: string;
  alert: string;
  severity: AlertSeverity;
  state: AlertTransitionRecord["state"];
  at: number;
  starts_at: number | null;
  reason: AlertTransitionRecord["reason"];
}

/** Named leases: which process does a job that only one may do at a time, until when. */
export interface LeasesTable {
  name: string;
  owner: string;
  until: number;
}

/** Approvals of promotions that a gate policy holds for approval. */
export interface ApprovalsTable {
  id: string;
  approver: string;
  reason: string;
  model: string;
  environment: string;
  version: string | null;
  granted_at: number;
  expires_at: number;
}

/** The append-only audit log of gate decisions and approvals. */
export interface AuditLogTable {
  /** Order of writing: one more than the largest before (writers take turns). */
  seq: number;
  at: number;
  kind: string;
  actor: string;
  model: string;
  environment: string;
  version: string | null;
  decision: string | null;
  /** JSON: what the entry recorded (the decision with the numbers it saw, or the approval). */
  detail: string;
}

/** Attempts an exporter has sent (or that its receiver refused); see docs/opentelemetry.md. */
export interface AttemptExportsTable {
  exporter: string;
  attempt_id: string;
  status: AttemptExportStatus;
  detail: string | null;
  exported_at: number;
}

/** How far each exporter has read the attempts' change sequence (attempts.seq). */
export interface ExportCursorsTable {
  exporter: string;
  seq: number;
}

/** Which SLOs an audit entry concerns (the SLOs a decision weighed, those an approval counts for). */
export interface AuditSlosTable {
  slo: string;
  seq: number;
}

/** The last policy state the alert evaluator saw per SLO. */
export interface PolicyStatesTable {
  slo: string;
  state: string;
  /** When it entered this state, epoch ms. */
  since: number;
  evaluated_at: number;
  /** JSON: the SloPolicy as last evaluated. */
  policy: string;
  /** JSON: the freeze-start notification while frozen, else null. */
  freeze: string | null;
}

/** The attempt a webhook correlation key (model, environment, version) last started. */
export interface HookCorrelationsTable {
  model: string;
  environment: string;
  version: string;
  attempt_id: string;
  claimed_at: number;
}

export interface Database {
  attempts: AttemptsTable;
  events: EventsTable;
  attempt_records: AttemptRecordsTable;
  counters: CountersTable;
  notification_outbox: NotificationOutboxTable;
  alert_states: AlertStatesTable;
  alert_transitions: AlertTransitionsTable;
  alert_incidents: AlertIncidentsTable;
  leases: LeasesTable;
  approvals: ApprovalsTable;
  audit_log: AuditLogTable;
  attempt_exports: AttemptExportsTable;
  export_cursors: ExportCursorsTable;
  audit_slos: AuditSlosTable;
  policy_states: PolicyStatesTable;
  hook_correlations: HookCorrelationsTable;
}

export type AttemptRow = Selectable<AttemptsTable>;
export type NewAttemptRow = Insertable<AttemptsTable>;
/** An attempt's columns but for `seq` and `updated_at`, which each write assigns. */
export type EncodedAttempt = Omit<NewAttemptRow, "seq" | "updated_at">;
export type EventRow = Selectable<EventsTable>;
export type NewEventRow = Insertable<EventsTable>;
export type OutboxRow = Selectable<NotificationOutboxTable>;
export type NewOutboxRow = Insertable<NotificationOutboxTable>;
