import type { AlertRecord, AlertTransitionRecord } from "../core/alerting/alert-record.js";
import type { AlertPhase } from "../core/alerting/step-alert.js";
import type { IncidentRecord } from "../core/alerting/step-incidents.js";
import type { Attempt, Outcome } from "../core/attempt/attempt.js";
import type { AttemptEvent } from "../core/attempt/attempt-event.js";
import type { AlertNotification } from "../core/notification/alert-notification.js";
import type {
  DeliveryOutcome,
  DeliveryStatus,
  NotificationDelivery,
} from "../core/notification/notification-delivery.js";
import type { Approval } from "../core/policy/approval.js";
import type { AuditEntry, AuditKind, NewAuditEntry } from "../core/policy/audit-entry.js";
import type { GateDecisionKind } from "../core/policy/gate-decision.js";
import type { PolicyStateRecord } from "../core/policy/policy-state-record.js";
import type { EncodedAttempt } from "./schema.js";

export type Dialect = "sqlite" | "postgres";

/** Filters of the approvals a gate reads; every field given must match. */
export interface ApprovalFilter {
  readonly model?: string;
  readonly environment?: string;
  /** Only approvals that have not expired by this instant (epoch ms). */
  readonly activeAt?: number;
  readonly limit?: number;
}

/** Filters of GET /api/v1/audit; every field given must match. Times are epoch ms. */
export interface AuditFilter {
  readonly kind?: AuditKind;
  /** Entries that concern this SLO (AuditEntry.slos). */
  readonly slo?: string;
  readonly model?: string;
  readonly environment?: string;
  readonly decision?: GateDecisionKind;
  /** at ≥ from */
  readonly from?: number;
  /** at < to */
  readonly to?: number;
  /** Entries written before this seq: the next page after an earlier one's last entry. */
  readonly before?: number;
  readonly limit: number;
}

/** Filters of GET /api/v1/attempts; every field given must match. Times are epoch ms. */
export interface AttemptFilter {
  readonly model?: string;
  readonly version?: string;
  readonly environment?: string;
  readonly outcome?: Outcome;
  /** startedAt ≥ from */
  readonly from?: number;
  /** startedAt < to */
  readonly to?: number;
}

/** Newest first (startedAt desc, id desc); `cursor` is opaque, from a previous page. */
export interface Page {
  readonly limit: number;
  readonly cursor?: string;
}

export interface AttemptPage {
  readonly attempts: readonly Attempt[];
  readonly nextCursor: string | null;
}

/** An attempt as changed at `seq`, for replicas that keep an in-memory view up to date. */
export interface AttemptChange {
  readonly seq: number;
  readonly attempt: Attempt;
}

/**
 * The attempts an in-memory view needs: every attempt still running, and those that ended at
 * or after `endedFrom` (an SLO evaluation as of a later instant can count no other).
 */
export interface AttemptRange {
  readonly endedFrom: number;
  /** Leave out the attempts that started after this instant (a view of the past). */
  readonly startedUntil?: number;
  /** Read stages and dependency samples too (false: left empty, much cheaper to read). */
  readonly parts: boolean;
  /**
   * Instead: only the attempts that ended before this instant (and at or after `endedFrom`),
   * written at or before change `seqAtMost`: what a view starting here leaves out.
   */
  readonly endedBefore?: number;
  readonly seqAtMost?: number;
}

/** Where a read of an AttemptRange stands; opaque to callers. */
export interface RangeCursor {
  readonly phase: "open" | "ended";
  readonly endedAt: number;
  readonly seq: number;
}

export interface AttemptRangePage {
  readonly attempts: readonly Attempt[];
  /** null: nothing more. */
  readonly next: RangeCursor | null;
}

/** Who claims outbox deliveries, as of when, for how long, how many. */
export interface DeliveryClaim {
  /** Unique per delivering process (e.g. a random id per replica). */
  readonly owner: string;
  readonly now: number;
  /** How long the claimer may take to deliver, ms; after that another claimer may retry. */
  readonly leaseMs: number;
  readonly limit: number;
}

/** Filters of GET /api/v1/notifications; every field given must match. */
export interface DeliveryFilter {
  readonly status?: DeliveryStatus;
  readonly slo?: string;
  /** Only deliveries of these SLOs (a reader's visible SLOs); empty: none. */
  readonly slos?: readonly string[];
  readonly target?: string;
}

/** A named lease for one owner, as of `now`, for `leaseMs`. */
export interface LeaseClaim {
  readonly name: string;
  /** Unique per process (e.g. a random id per replica). */
  readonly owner: string;
  readonly now: number;
  readonly leaseMs: number;
}

/** Filters of GET /api/v1/alerts; every field given must match. */
export interface AlertFilter {
  readonly slo?: string;
  /** Only alerts of these SLOs (a reader's visible SLOs); empty: none. */
  readonly slos?: readonly string[];
  readonly state?: AlertPhase;
}

/** One alert evaluation's results, committed at once by recordAlertEvaluation. */
export interface AlertEvaluationRecord {
  /** The lease the evaluator holds, and as whom: nothing is written unless it still does. */
  readonly lease: string;
  readonly owner: string;
  /** Enqueued into the outbox (idempotent by key and target). */
  readonly notifications: readonly AlertNotification[];
  /** Inserted or replaced by (slo, alert). */
  readonly states: readonly AlertRecord[];
  /** Alerts whose SLO or rule left the config: their states are deleted. */
  readonly removed: readonly { readonly slo: string; readonly alert: string }[];
  readonly transitions: readonly AlertTransitionRecord[];
  /** Every incident open after the evaluation: saved; the other stored incidents are deleted. */
  readonly incidents: readonly IncidentRecord[];
  /** Transitions before this instant are deleted. */
  readonly keepTransitionsAfter: number;
  /** Policy states inserted or replaced by SLO. */
  readonly policyStates?: readonly PolicyStateRecord[];
  /** SLOs that left the config: their policy states are deleted. */
  readonly removedPolicyStates?: readonly string[];
}

/** `exported`: the receiver took it; `rejected`: it refused it for good (HTTP 400). */
export type AttemptExportStatus = "exported" | "rejected";

/** One round of an exporter, committed at once by recordAttemptExports. */
export interface AttemptExportRecord {
  readonly exporter: string;
  /** The lease the exporter holds, and as whom: nothing is written unless it still does. */
  readonly lease: string;
  readonly owner: string;
  /** Every attempt change up to this seq has been looked at: the cursor moves here. */
  readonly cursor: number;
  readonly exports: readonly {
    readonly attemptId: string;
    readonly status: AttemptExportStatus;
    readonly detail: string | null;
  }[];
  readonly at: number;
}

/** Where a pass of Store.deleteAttemptsEndedBefore stands: the last attempt it looked at. */
export interface PrunePosition {
  /** The attempt's end: endedAt, or servingAt when it succeeded without a recorded end. */
  readonly end: number;
  readonly id: string;
}

/** One batch of Store.deleteAttemptsEndedBefore. */
export interface PruneBatch {
  /** Attempts deleted, each with its events, its kept record and its export marks. */
  readonly deleted: number;
  /** Attempts looked at: the deleted ones and those a stage or sample keeps. */
  readonly looked: number;
  /** Where the next batch of this pass starts; null when no ended attempt is left to look at. */
  readonly next: PrunePosition | null;
}

/** A webhook delivery's correlation key, and the attempt it would start (Store.claimCorrelation). */
export interface CorrelationClaim {
  readonly model: string;
  readonly environment: string;
  readonly version: string;
  readonly attemptId: string;
}

/** The attempt a correlation key's deliveries go to, and whether it is stored yet. */
export interface CorrelationOwner {
  readonly attemptId: string;
  readonly stored: boolean;
}

/**
 * The durable store: one contract, two dialects (SQLite, PostgreSQL), the same behaviour
 * (test/store/ runs one suite against both). Every write method is one transaction: when its
 * promise resolves the data is committed; when it rejects nothing was changed.
 */
export interface Store {
  readonly dialect: Dialect;

  /** Inserts or replaces attempts by id (the last of repeated ids in one call wins). */
  upsertAttempts(
    attempts: readonly Attempt[],
  ): Promise<{ readonly inserted: number; readonly updated: number }>;

  /**
   * upsertAttempts for attempts already encoded by encodeAttempt (attempt-row.ts), as batch
   * ingest prepares them on worker threads.
   */
  upsertEncodedAttempts(
    attempts: readonly EncodedAttempt[],
  ): Promise<{ readonly inserted: number; readonly updated: number }>;

  /**
   * Stores events whose id is new and returns the ids of the attempts they touch, with every
   * stored event of each such attempt (old and new), for the caller to fold.
   * Duplicates (an id already stored, or repeated in the call) are counted, not stored.
   */
  appendEvents(
    events: readonly AttemptEvent[],
    fold: (attemptId: string, events: readonly AttemptEvent[]) => Attempt | undefined,
  ): Promise<{
    readonly accepted: number;
    readonly duplicates: number;
    /** Ids of the events stored by this call, in call order. */
    readonly acceptedIds: readonly string[];
    readonly attempts: readonly Attempt[];
  }>;

  getAttempt(id: string): Promise<Attempt | undefined>;
  /**
   * Replaces each stored attempt that is still in progress with the given record (an attempt
   * ended for its in-progress timeout), in one transaction; an attempt whose end was recorded
   * meanwhile is left as it is. Returns the ids replaced.
   */
  replaceAttemptsInProgress(attempts: readonly Attempt[]): Promise<readonly string[]>;

  listAttempts(filter: AttemptFilter, page: Page): Promise<AttemptPage>;

  /**
   * The attempt a webhook delivery that finds none of its key joins or starts, agreed on by
   * every replica: the key's claimed attempt while it is in progress or not stored yet (another
   * delivery is starting it), else `claim.attemptId`, which becomes the key's. Atomic: of two
   * concurrent claims of one key, at most one replaces its attempt.
   */
  claimCorrelation(claim: CorrelationClaim): Promise<CorrelationOwner>;

  /** Attempts written after `afterSeq`, oldest change first, at most `limit`. */
  changesSince(afterSeq: number, limit: number): Promise<readonly AttemptChange[]>;

  /** The seq of the latest attempt write (0: none): changesSince from it sees what follows. */
  lastAttemptSeq(): Promise<number>;

  /**
   * One page (at most `limit`) of the attempts in `range`, as stored when each page is read;
   * pass the page's `next` for the following one. Rows written during the read may be missed
   * or seen twice: read lastAttemptSeq first, then changesSince from it.
   */
  attemptsInRange(
    range: AttemptRange,
    cursor: RangeCursor | undefined,
    limit: number,
  ): Promise<AttemptRangePage>;

  /**
   * Puts one pending delivery per notification × target into the outbox, due at the
   * notification's `at`. Idempotent by (key, target): enqueueing a key again changes nothing.
   * Returns how many deliveries were added.
   */
  enqueueNotifications(items: readonly AlertNotification[]): Promise<number>;

  /**
   * Leases due deliveries to `claim.owner` and counts an attempt for each; no two claimers hold
   * the same delivery at once. Deliveries of one alert episode to one target are claimed in
   * order: a later one waits while an earlier one is pending.
   */
  claimNotificationDeliveries(claim: DeliveryClaim): Promise<readonly NotificationDelivery[]>;

  /** Records an attempt's result; false when `owner` had lost the lease (nothing changed). */
  recordDeliveryOutcome(owner: string, outcome: DeliveryOutcome): Promise<boolean>;

  /** Outbox deliveries, newest first (by enqueue time), at most `limit` (≤ 1000). */
  listNotificationDeliveries(
    filter: DeliveryFilter,
    limit: number,
  ): Promise<readonly NotificationDelivery[]>;

  /**
   * Takes or renews a lease: true when `claim.owner` holds it until now + leaseMs (nobody held
   * it, the owner did, or the holder's ran out). At most one owner holds a lease at a time.
   */
  acquireLease(claim: LeaseClaim): Promise<boolean>;
  /**
   * Extends `claim.owner`'s lease to now + leaseMs while it still holds it (even run out, as
   * long as nobody took it); never takes a lease. False when another owner holds it or none does.
   */
  renewLease(claim: LeaseClaim): Promise<boolean>;
  /** Ends `owner`'s lease now, if it holds it. */
  releaseLease(name: string, owner: string): Promise<void>;

  /**
   * Commits an alert evaluation in one transaction, only while `record.owner` holds
   * `record.lease`: enqueues its notifications, then saves states and transitions. False (and
   * nothing written) when the lease was lost.
   */
  recordAlertEvaluation(record: AlertEvaluationRecord): Promise<boolean>;
  /** The open incidents, oldest first. */
  listAlertIncidents(): Promise<readonly IncidentRecord[]>;
  /** The persisted policy states (saved by recordAlertEvaluation), by SLO name. */
  listPolicyStates(): Promise<readonly PolicyStateRecord[]>;
  /** The persisted alert states, by SLO then alert name. */
  listAlertStates(filter: AlertFilter): Promise<readonly AlertRecord[]>;
  /** Recorded alert transitions, newest first, at most `limit` (≤ 1000). */
  listAlertTransitions(
    filter: Pick<AlertFilter, "slo" | "slos">,
    limit: number,
  ): Promise<readonly AlertTransitionRecord[]>;

  /** Appends gate decisions to the audit log, numbered in order; nothing ever changes them. */
  appendAudit(entries: readonly NewAuditEntry[]): Promise<readonly AuditEntry[]>;
  /**
   * Stores an approval and its audit entry, and enqueues its notifications, in one
   * transaction; ids are unique.
   */
  grantApproval(
    approval: Approval,
    entry: NewAuditEntry,
    notifications?: readonly AlertNotification[],
  ): Promise<AuditEntry>;
  listApprovals(filter: ApprovalFilter): Promise<readonly Approval[]>;
  /** Audit entries, newest first, at most `filter.limit` (≤ 1000). */
  listAudit(filter: AuditFilter): Promise<readonly AuditEntry[]>;

  /**
   * Where `exporter` stands in the attempts' change sequence (changesSince). The first call
   * starts it at the latest change, so an exporter sends what changes from then on, not the
   * history before it was turned on.
   */
  exportCursor(exporter: string): Promise<number>;
  /** Which of `attemptIds` `exporter` has recorded (exported or rejected). */
  exportedAttempts(exporter: string, attemptIds: readonly string[]): Promise<ReadonlySet<string>>;
  /**
   * Records an exporter's round in one transaction, only while `record.owner` holds
   * `record.lease`: each attempt once (a second record of one changes nothing), and the cursor
   * moved to `record.cursor` (never back). False, and nothing written, when the lease was lost.
   */
  recordAttemptExports(record: AttemptExportRecord): Promise<boolean>;

  /**
   * Retention (docs/operations.md): looks at the next `limit` (≤ 5,000) attempts that ended
   * before `cutoff`, oldest end first, after `after` (the previous batch's `next`), and deletes
   * those with nothing at or after `cutoff` (no stage, sample or first inference), together
   * with their events, kept records and export marks, in one transaction. Attempts in
   * progress, or with a stage in progress, are never deleted.
   */
  deleteAttemptsEndedBefore(
    cutoff: number,
    limit: number,
    after?: PrunePosition,
  ): Promise<PruneBatch>;
  /**
   * Deletes at most `limit` (≤ 5,000) outbox deliveries done with (delivered or dead) that were
   * enqueued before `cutoff`, oldest first, in one transaction; returns how many.
   */
  deleteNotificationsDoneBefore(cutoff: number, limit: number): Promise<number>;

  /** Health check: true when the database answers. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
