import type { Kysely } from "kysely";
import { systemClock } from "../clock/clock.js";
import type { AlertRecord, AlertTransitionRecord } from "../core/alerting/alert-record.js";
import type { IncidentRecord } from "../core/alerting/step-incidents.js";
import type { Attempt } from "../core/attempt/attempt.js";
import type { AttemptEvent } from "../core/attempt/attempt-event.js";
import type { AlertNotification } from "../core/notification/alert-notification.js";
import type {
  DeliveryOutcome,
  NotificationDelivery,
} from "../core/notification/notification-delivery.js";
import type { Approval } from "../core/policy/approval.js";
import type { AuditEntry, NewAuditEntry } from "../core/policy/audit-entry.js";
import type { PolicyStateRecord } from "../core/policy/policy-state-record.js";
import { encodeAttempt } from "./attempt-row.js";
import {
  acquireLease,
  listAlertIncidents,
  listAlertStates,
  listAlertTransitions,
  recordAlertEvaluation,
  releaseLease,
  renewLease,
} from "./repositories/alert-states.js";
import {
  exportCursor,
  exportedAttempts,
  recordAttemptExports,
} from "./repositories/attempt-exports.js";
import { upsertRecords } from "./repositories/attempt-records.js";
import {
  changesSince,
  getAttempt,
  listAttempts,
  replaceAttemptsInProgress,
} from "./repositories/attempts.js";
import { attemptsInRange, lastAttemptSeq } from "./repositories/attempts-in-range.js";
import { appendEvents, type FoldAttemptEvents } from "./repositories/events.js";
import {
  appendAudit,
  insertApproval,
  listApprovals,
  listAudit,
} from "./repositories/gate-audit.js";
import { claimCorrelation } from "./repositories/hook-correlations.js";
import {
  claimDeliveries,
  enqueueNotifications,
  listDeliveries,
  recordDeliveryOutcome,
} from "./repositories/notification-outbox.js";
import { listPolicyStates } from "./repositories/policy-states.js";
import {
  deleteAttemptsEndedBefore,
  deleteNotificationsDoneBefore,
} from "./repositories/retention.js";
import type { Database, EncodedAttempt } from "./schema.js";
import type {
  AlertEvaluationRecord,
  AlertFilter,
  ApprovalFilter,
  AttemptChange,
  AttemptExportRecord,
  AttemptFilter,
  AttemptPage,
  AttemptRange,
  AttemptRangePage,
  AuditFilter,
  CorrelationClaim,
  CorrelationOwner,
  DeliveryClaim,
  DeliveryFilter,
  Dialect,
  LeaseClaim,
  Page,
  PruneBatch,
  PrunePosition,
  RangeCursor,
  Store,
} from "./store.js";
import type { StoreDialect } from "./store-dialect.js";
import { storeUnavailable } from "./store-unavailable.js";

/** How long ping waits for the database before it answers false. */
const PING_TIMEOUT_MS = 2_000;

/** The Store over a migrated database of either dialect; see openStore. */
export class KyselyStore implements Store {
  readonly dialect: Dialect;
  readonly #dialect: StoreDialect;
  readonly #now: () => number;
  #closing: Promise<void> | undefined;

  constructor(dialect: StoreDialect, now: () => number = systemClock.now) {
    this.dialect = dialect.name;
    this.#dialect = dialect;
    this.#now = now;
  }

  async upsertAttempts(
    attempts: readonly Attempt[],
  ): Promise<{ readonly inserted: number; readonly updated: number }> {
    return this.upsertEncodedAttempts(attempts.map(encodeAttempt));
  }

  upsertEncodedAttempts(
    attempts: readonly EncodedAttempt[],
  ): Promise<{ readonly inserted: number; readonly updated: number }> {
    if (attempts.length === 0) return Promise.resolve({ inserted: 0, updated: 0 });
    return this.#write((trx) =>
      upsertRecords(trx, attempts, this.#now(), this.#dialect.writeAttemptRows),
    );
  }

  replaceAttemptsInProgress(attempts: readonly Attempt[]): Promise<readonly string[]> {
    if (attempts.length === 0) return Promise.resolve([]);
    return this.#write((trx) =>
      replaceAttemptsInProgress(
        trx,
        attempts.map(encodeAttempt),
        this.#now(),
        this.#dialect.writeAttemptRows,
      ),
    );
  }

  appendEvents(
    events: readonly AttemptEvent[],
    fold: FoldAttemptEvents,
  ): Promise<{
    readonly accepted: number;
    readonly duplicates: number;
    readonly acceptedIds: readonly string[];
    readonly attempts: readonly Attempt[];
  }> {
    if (events.length === 0) {
      return Promise.resolve({ accepted: 0, duplicates: 0, acceptedIds: [], attempts: [] });
    }
    return this.#write(
      (trx) =>
        appendEvents(
          trx,
          events,
          fold,
          this.#now(),
          this.#dialect.writeAttemptRows,
          this.#dialect.eventStatements(trx),
        ),
      this.#dialect.countersLockWriters,
    );
  }

  getAttempt(id: string): Promise<Attempt | undefined> {
    return this.#guard(() => getAttempt(this.#dialect.db, id));
  }

  listAttempts(filter: AttemptFilter, page: Page): Promise<AttemptPage> {
    return this.#guard(() => listAttempts(this.#dialect.db, filter, page));
  }

  claimCorrelation(claim: CorrelationClaim): Promise<CorrelationOwner> {
    return this.#write((trx) => claimCorrelation(trx, claim, this.#now()));
  }

  changesSince(afterSeq: number, limit: number): Promise<readonly AttemptChange[]> {
    return this.#guard(() => changesSince(this.#dialect.db, afterSeq, limit));
  }

  lastAttemptSeq(): Promise<number> {
    return this.#guard(() => lastAttemptSeq(this.#dialect.db));
  }

  attemptsInRange(
    range: AttemptRange,
    cursor: RangeCursor | undefined,
    limit: number,
  ): Promise<AttemptRangePage> {
    return this.#guard(() => attemptsInRange(this.#dialect.db, range, cursor, limit));
  }

  enqueueNotifications(items: readonly AlertNotification[]): Promise<number> {
    if (items.length === 0) return Promise.resolve(0);
    return this.#write((trx) => enqueueNotifications(trx, items, this.#now()));
  }

  claimNotificationDeliveries(claim: DeliveryClaim): Promise<readonly NotificationDelivery[]> {
    return this.#guard(() => claimDeliveries(this.#dialect.db, claim, this.#dialect.rowLocks));
  }

  recordDeliveryOutcome(owner: string, outcome: DeliveryOutcome): Promise<boolean> {
    return this.#guard(() => recordDeliveryOutcome(this.#dialect.db, owner, outcome));
  }

  listNotificationDeliveries(
    filter: DeliveryFilter,
    limit: number,
  ): Promise<readonly NotificationDelivery[]> {
    return this.#guard(() => listDeliveries(this.#dialect.db, filter, limit));
  }

  acquireLease(claim: LeaseClaim): Promise<boolean> {
    return this.#write((trx) => acquireLease(trx, claim));
  }

  renewLease(claim: LeaseClaim): Promise<boolean> {
    // One UPDATE is atomic by itself: no need to queue behind the writers' lock.
    return this.#guard(() => renewLease(this.#dialect.db, claim));
  }

  releaseLease(name: string, owner: string): Promise<void> {
    return this.#write((trx) => releaseLease(trx, name, owner));
  }

  recordAlertEvaluation(record: AlertEvaluationRecord): Promise<boolean> {
    return this.#write((trx) => recordAlertEvaluation(trx, record, this.#now()));
  }

  listAlertIncidents(): Promise<readonly IncidentRecord[]> {
    return this.#guard(() => listAlertIncidents(this.#dialect.db));
  }

  listPolicyStates(): Promise<readonly PolicyStateRecord[]> {
    return this.#guard(() => listPolicyStates(this.#dialect.db));
  }

  listAlertStates(filter: AlertFilter): Promise<readonly AlertRecord[]> {
    return this.#guard(() => listAlertStates(this.#dialect.db, filter));
  }

  listAlertTransitions(
    filter: Pick<AlertFilter, "slo" | "slos">,
    limit: number,
  ): Promise<readonly AlertTransitionRecord[]> {
    return this.#guard(() => listAlertTransitions(this.#dialect.db, filter, limit));
  }

  appendAudit(entries: readonly NewAuditEntry[]): Promise<readonly AuditEntry[]> {
    return this.#write((trx) => appendAudit(trx, entries));
  }

  grantApproval(
    approval: Approval,
    entry: NewAuditEntry,
    notifications: readonly AlertNotification[] = [],
  ): Promise<AuditEntry> {
    return this.#write(async (trx) => {
      await insertApproval(trx, approval);
      await enqueueNotifications(trx, notifications, this.#now());
      const [written] = await appendAudit(trx, [entry]);
      if (written === undefined) throw new Error("the approval's audit entry was not written");
      return written;
    });
  }

  listApprovals(filter: ApprovalFilter): Promise<readonly Approval[]> {
    return this.#guard(() => listApprovals(this.#dialect.db, filter));
  }

  listAudit(filter: AuditFilter): Promise<readonly AuditEntry[]> {
    return this.#guard(() => listAudit(this.#dialect.db, filter));
  }

  exportCursor(exporter: string): Promise<number> {
    return this.#write((trx) => exportCursor(trx, exporter));
  }

  exportedAttempts(exporter: string, attemptIds: readonly string[]): Promise<ReadonlySet<string>> {
    if (attemptIds.length === 0) return Promise.resolve(new Set());
    return this.#guard(() => exportedAttempts(this.#dialect.db, exporter, attemptIds));
  }

  recordAttemptExports(record: AttemptExportRecord): Promise<boolean> {
    return this.#write((trx) => recordAttemptExports(trx, record));
  }

  deleteAttemptsEndedBefore(
    cutoff: number,
    limit: number,
    after?: PrunePosition,
  ): Promise<PruneBatch> {
    return this.#write((trx) => deleteAttemptsEndedBefore(trx, cutoff, limit, after));
  }

  deleteNotificationsDoneBefore(cutoff: number, limit: number): Promise<number> {
    return this.#write((trx) => deleteNotificationsDoneBefore(trx, cutoff, limit));
  }

  async ping(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    // A database that drops packets would hold /readyz for the pool's 10 s connect timeout,
    // longer than a probe waits; past PING_TIMEOUT_MS the answer is "not ready".
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), PING_TIMEOUT_MS);
    });
    const query = this.#dialect.db
      .selectFrom("counters")
      .select("id")
      .executeTakeFirst()
      .then(
        () => true,
        () => false,
      );
    try {
      return await Promise.race([query, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  close(): Promise<void> {
    this.#closing ??= this.#dialect.db.destroy();
    return this.#closing;
  }

  /** `locks`: the first statement of `work` updates the counters row and serialises writers. */
  #write<T>(work: (trx: Kysely<Database>) => Promise<T>, locks = false): Promise<T> {
    return this.#guard(() =>
      this.#dialect.transaction(async (trx) => {
        if (!locks) await this.#dialect.lockWriters(trx);
        return work(trx);
      }),
    );
  }

  /** Database outages become STORE_UNAVAILABLE; anything else (a bug, fold's errors) passes. */
  async #guard<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (this.#dialect.isUnavailable(error)) {
        throw storeUnavailable(`${this.#dialect.description} is unavailable`, error);
      }
      throw error;
    }
  }
}
