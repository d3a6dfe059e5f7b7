import type { Kysely } from "kysely";
import type { AlertRecord, AlertTransitionRecord } from "../../core/alerting/alert-record.js";
import type { IncidentRecord } from "../../core/alerting/step-incidents.js";
import type { AlertNotification } from "../../core/notification/alert-notification.js";
import { chunks } from "../chunks.js";
import { clampLimit } from "../page-limits.js";
import { parseStoredJson } from "../parse-stored-json.js";
import type { Database } from "../schema.js";
import type { AlertEvaluationRecord, AlertFilter, LeaseClaim } from "../store.js";
import { wholeMillis } from "../whole-millis.js";
import { enqueueNotifications } from "./notification-outbox.js";

/** 10 parameters a row. */
const ROWS_PER_INSERT = 200;
/** Largest number of transitions one list returns. */
export const MAX_TRANSITIONS_PER_CALL = 1000;

/**
 * Takes or renews the lease `claim.name` for `claim.owner` until now + leaseMs: granted when
 * nobody holds it, `owner` already does, or the holder's lease ran out. Call in a write
 * transaction (writers take turns), so two claimers never both get it.
 */
export async function acquireLease(db: Kysely<Database>, claim: LeaseClaim): Promise<boolean> {
  const until = wholeMillis(claim.now + claim.leaseMs, `lease ${claim.name}: until`);
  await db
    .insertInto("leases")
    .values({ name: claim.name, owner: claim.owner, until })
    .onConflict((oc) => oc.column("name").doNothing())
    .execute();
  const result = await db
    .updateTable("leases")
    .set({ owner: claim.owner, until })
    .where("name", "=", claim.name)
    .where((eb) => eb.or([eb("owner", "=", claim.owner), eb("until", "<=", claim.now)]))
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Extends the lease of `claim.owner` when it still holds it; one atomic UPDATE. */
export async function renewLease(db: Kysely<Database>, claim: LeaseClaim): Promise<boolean> {
  const until = wholeMillis(claim.now + claim.leaseMs, `lease ${claim.name}: until`);
  const result = await db
    .updateTable("leases")
    .set({ until })
    .where("name", "=", claim.name)
    .where("owner", "=", claim.owner)
    .where("until", ">", 0)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Gives the lease up at once (another replica may take it), when `owner` holds it. */
export async function releaseLease(
  db: Kysely<Database>,
  name: string,
  owner: string,
): Promise<void> {
  await db
    .updateTable("leases")
    .set({ until: 0 })
    .where("name", "=", name)
    .where("owner", "=", owner)
    .execute();
}

/**
 * Commits one evaluation, fenced by the lease: when `record.owner` no longer holds it (it ran
 * out and another replica took it), nothing is written and the result is false. Otherwise the
 * notifications are enqueued first, then the states and transitions are saved.
 */
export async function recordAlertEvaluation(
  db: Kysely<Database>,
  record: AlertEvaluationRecord,
  now: number,
): Promise<boolean> {
  const lease = await db
    .selectFrom("leases")
    .select("owner")
    .where("name", "=", record.lease)
    .executeTakeFirst();
  if (lease?.owner !== record.owner) return false;
  await enqueueNotifications(db, record.notifications, now);
  for (const chunk of chunks(record.removed, ROWS_PER_INSERT)) {
    await db
      .deleteFrom("alert_states")
      .where((eb) =>
        eb.or(chunk.map((key) => eb.and([eb("slo", "=", key.slo), eb("alert", "=", key.alert)]))),
      )
      .execute();
  }
  for (const chunk of chunks(record.states, ROWS_PER_INSERT)) {
    await db
      .insertInto("alert_states")
      .values(chunk.map(stateToRow))
      .onConflict((oc) =>
        oc.columns(["slo", "alert"]).doUpdateSet((eb) => ({
          severity: eb.ref("excluded.severity"),
          state: eb.ref("excluded.state"),
          since: eb.ref("excluded.since"),
          active_at: eb.ref("excluded.active_at"),
          starts_at: eb.ref("excluded.starts_at"),
          evaluated_at: eb.ref("excluded.evaluated_at"),
          at_risk: eb.ref("excluded.at_risk"),
          firing: eb.ref("excluded.firing"),
          held_at: eb.ref("excluded.held_at"),
        })),
      )
      .execute();
  }
  for (const chunk of chunks(record.transitions, ROWS_PER_INSERT)) {
    await db
      .insertInto("alert_transitions")
      .values(
        chunk.map((t) => ({
          slo: t.slo,
          alert: t.alert,
          severity: t.severity,
          state: t.state,
          at: wholeMillis(t.at, `transition of ${t.slo}/${t.alert}: at`),
          starts_at: t.startsAt,
          reason: t.reason,
        })),
      )
      .onConflict((oc) => oc.columns(["slo", "alert", "at", "state"]).doNothing())
      .execute();
  }
  await db.deleteFrom("alert_transitions").where("at", "<", record.keepTransitionsAfter).execute();
  await saveIncidents(db, record.incidents);
  return true;
}

/** Replaces the stored open incidents with `incidents`. */
async function saveIncidents(
  db: Kysely<Database>,
  incidents: readonly IncidentRecord[],
): Promise<void> {
  const keys = incidents.map((incident) => incident.key);
  let stale = db.deleteFrom("alert_incidents");
  if (keys.length > 0) stale = stale.where("key", "not in", keys);
  await stale.execute();
  for (const chunk of chunks(incidents, ROWS_PER_INSERT)) {
    await db
      .insertInto("alert_incidents")
      .values(
        chunk.map((incident) => ({
          key: incident.key,
          slo: incident.slo,
          alert: incident.alert,
          starts_at: wholeMillis(incident.startsAt, `incident ${incident.key}: startsAt`),
          slos: JSON.stringify(incident.slos),
          alerts: JSON.stringify(incident.alerts),
          notified: JSON.stringify(incident.notified),
        })),
      )
      .onConflict((oc) =>
        oc.column("key").doUpdateSet((eb) => ({
          slos: eb.ref("excluded.slos"),
          alerts: eb.ref("excluded.alerts"),
          notified: eb.ref("excluded.notified"),
        })),
      )
      .execute();
  }
}

/** The open incidents, oldest first. */
export async function listAlertIncidents(db: Kysely<Database>): Promise<IncidentRecord[]> {
  const rows = await db
    .selectFrom("alert_incidents")
    .selectAll()
    .orderBy("starts_at")
    .orderBy("key")
    .execute();
  return rows.map((row) => ({
    key: row.key,
    slo: row.slo,
    alert: row.alert,
    startsAt: row.starts_at,
    slos: parseStoredJson<string[]>(row.slos, `incident ${row.key}: slos`),
    alerts: parseStoredJson<string[]>(row.alerts, `incident ${row.key}: alerts`),
    notified: parseStoredJson<AlertNotification[]>(row.notified, `incident ${row.key}: notified`),
  }));
}

function stateToRow(state: AlertRecord) {
  const what = `alert ${state.slo}/${state.alert}`;
  return {
    slo: state.slo,
    alert: state.alert,
    severity: state.severity,
    state: state.state,
    since: wholeMillis(state.since, `${what}: since`),
    active_at: wholeMillis(state.activeAt, `${what}: activeAt`),
    starts_at: wholeMillis(state.startsAt, `${what}: startsAt`),
    evaluated_at: wholeMillis(state.evaluatedAt, `${what}: evaluatedAt`),
    at_risk: JSON.stringify(state.atRisk),
    firing: state.firing === null ? null : JSON.stringify(state.firing),
    held_at: wholeMillis(state.heldAt, `${what}: heldAt`),
  };
}

/** Every stored alert state matching `filter`, by SLO then alert name. */
export async function listAlertStates(
  db: Kysely<Database>,
  filter: AlertFilter,
): Promise<AlertRecord[]> {
  let query = db.selectFrom("alert_states").selectAll();
  if (filter.slo !== undefined) query = query.where("slo", "=", filter.slo);
  if (filter.state !== undefined) query = query.where("state", "=", filter.state);
  const rows = await query.orderBy("slo").orderBy("alert").execute();
  return rows.map((row) => ({
    slo: row.slo,
    alert: row.alert,
    severity: row.severity,
    state: row.state,
    since: row.since,
    activeAt: row.active_at,
    startsAt: row.starts_at,
    evaluatedAt: row.evaluated_at,
    heldAt: row.held_at,
    atRisk: parseStoredJson<string[]>(row.at_risk, `alert ${row.slo}/${row.alert}: at_risk`),
    firing:
      row.firing === null
        ? null
        : parseStoredJson<AlertNotification>(row.firing, `alert ${row.slo}/${row.alert}: firing`),
  }));
}

/** Recorded transitions, newest first, at most `limit`. */
export async function listAlertTransitions(
  db: Kysely<Database>,
  filter: Pick<AlertFilter, "slo">,
  limit: number,
): Promise<AlertTransitionRecord[]> {
  let query = db.selectFrom("alert_transitions").selectAll();
  if (filter.slo !== undefined) query = query.where("slo", "=", filter.slo);
  const rows = await query
    .orderBy("at", "desc")
    .orderBy("slo")
    .orderBy("alert")
    .orderBy("state")
    .limit(clampLimit(limit, MAX_TRANSITIONS_PER_CALL))
    .execute();
  return rows.map((row) => ({
    slo: row.slo,
    alert: row.alert,
    severity: row.severity,
    state: row.state,
    at: row.at,
    startsAt: row.starts_at,
    reason: row.reason,
  }));
}
