import type { Kysely } from "kysely";
import type { AlertNotification } from "../../core/notification/alert-notification.js";
import type {
  DeliveryOutcome,
  NotificationDelivery,
} from "../../core/notification/notification-delivery.js";
import { chunks } from "../chunks.js";
import { notificationToRow, rowToDelivery } from "../outbox-row.js";
import { clampLimit, MAX_DELIVERIES_PER_CALL } from "../page-limits.js";
import type { Database } from "../schema.js";
import type { DeliveryClaim, DeliveryFilter } from "../store.js";

/** 17 parameters a row. */
const ROWS_PER_INSERT = 200;
/** Errors are kept for people to read, not whole response bodies. */
const MAX_ERROR_LENGTH = 1000;

/**
 * Adds one pending delivery per notification × target; a (key, target) already in the outbox
 * is left as it is, whatever its status. Returns the number of deliveries added.
 */
export async function enqueueNotifications(
  db: Kysely<Database>,
  items: readonly AlertNotification[],
  now: number,
): Promise<number> {
  const rows = new Map<string, ReturnType<typeof notificationToRow>>();
  for (const notification of items) {
    for (const target of notification.targets) {
      rows.set(
        JSON.stringify([notification.key, target]),
        notificationToRow(notification, target, now),
      );
    }
  }
  let added = 0;
  for (const chunk of chunks([...rows.values()], ROWS_PER_INSERT)) {
    const inserted = await db
      .insertInto("notification_outbox")
      .values(chunk)
      .onConflict((oc) => oc.columns(["key", "target"]).doNothing())
      .returning("key")
      .execute();
    added += inserted.length;
  }
  return added;
}

/**
 * Leases up to `limit` due deliveries to `claim.owner` until now + leaseMs and counts the
 * attempt. Due: pending, next attempt time reached, no live lease, and no earlier pending
 * delivery of the same alert episode to the same target (so a resolve never overtakes its
 * firing). One statement; with `rowLocks`, concurrent claimers skip each other's rows.
 */
export async function claimDeliveries(
  db: Kysely<Database>,
  claim: DeliveryClaim,
  rowLocks: boolean,
): Promise<NotificationDelivery[]> {
  const { owner, now, leaseMs } = claim;
  const limit = clampLimit(claim.limit, MAX_DELIVERIES_PER_CALL);
  let due = db
    .selectFrom("notification_outbox as o")
    .select(["o.key", "o.target"])
    .where("o.status", "=", "pending")
    .where("o.next_attempt_at", "<=", now)
    .where((eb) => eb.or([eb("o.lease_until", "is", null), eb("o.lease_until", "<=", now)]))
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("notification_outbox as earlier")
            .select("earlier.key")
            .whereRef("earlier.slo", "=", "o.slo")
            .whereRef("earlier.alert", "=", "o.alert")
            .whereRef("earlier.starts_at", "=", "o.starts_at")
            .whereRef("earlier.target", "=", "o.target")
            .where("earlier.status", "=", "pending")
            .where((eb) =>
              eb.or([
                eb("earlier.at", "<", eb.ref("o.at")),
                eb.and([
                  eb("earlier.at", "=", eb.ref("o.at")),
                  eb("earlier.key", "<", eb.ref("o.key")),
                ]),
              ]),
            ),
        ),
      ),
    )
    .orderBy("o.next_attempt_at")
    .orderBy("o.at")
    .orderBy("o.key")
    .orderBy("o.target")
    .limit(limit);
  if (rowLocks) due = due.forUpdate().skipLocked();
  const rows = await db
    .updateTable("notification_outbox")
    .set((eb) => ({
      lease_owner: owner,
      lease_until: now + leaseMs,
      attempts: eb("attempts", "+", 1),
      updated_at: now,
    }))
    .where((eb) => eb(eb.refTuple("key", "target"), "in", due.$asTuple("key", "target")))
    // Checked again on the row itself: PostgreSQL re-reads a row another claimer just changed.
    .where("status", "=", "pending")
    .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<=", now)]))
    .returningAll()
    .execute();
  return rows
    .map(rowToDelivery)
    .sort(
      (a, b) =>
        (a.nextAttemptAt ?? 0) - (b.nextAttemptAt ?? 0) ||
        a.notification.at - b.notification.at ||
        compare(a.notification.key, b.notification.key) ||
        compare(a.target, b.target),
    );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Records the result of an attempt `owner` made; false (nothing changed) when `owner` no longer
 * holds the lease: it expired and another replica took the delivery over.
 */
export async function recordDeliveryOutcome(
  db: Kysely<Database>,
  owner: string,
  outcome: DeliveryOutcome,
): Promise<boolean> {
  const change =
    outcome.kind === "delivered"
      ? {
          status: "delivered" as const,
          delivered_at: outcome.at,
          next_attempt_at: null,
          last_error: null,
          last_status: null,
        }
      : {
          status: outcome.nextAttemptAt === null ? ("dead" as const) : ("pending" as const),
          next_attempt_at: outcome.nextAttemptAt,
          last_error: outcome.error.slice(0, MAX_ERROR_LENGTH),
          last_status: outcome.status,
        };
  const result = await db
    .updateTable("notification_outbox")
    .set({ ...change, lease_owner: null, lease_until: null, updated_at: outcome.at })
    .where("key", "=", outcome.key)
    .where("target", "=", outcome.target)
    .where("status", "=", "pending")
    .where("lease_owner", "=", owner)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Deliveries, newest first, for the API. */
export async function listDeliveries(
  db: Kysely<Database>,
  filter: DeliveryFilter,
  limit: number,
): Promise<NotificationDelivery[]> {
  if (filter.slos?.length === 0) return [];
  let query = db.selectFrom("notification_outbox").selectAll();
  if (filter.status !== undefined) query = query.where("status", "=", filter.status);
  if (filter.slo !== undefined) query = query.where("slo", "=", filter.slo);
  if (filter.slos !== undefined) query = query.where("slo", "in", filter.slos);
  if (filter.target !== undefined) query = query.where("target", "=", filter.target);
  const rows = await query
    .orderBy("created_at", "desc")
    .orderBy("at", "desc")
    .orderBy("key")
    .orderBy("target")
    .limit(clampLimit(limit, MAX_DELIVERIES_PER_CALL))
    .execute();
  return rows.map(rowToDelivery);
}
