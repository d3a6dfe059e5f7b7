import type { AttemptTables } from "../evaluation/attempt-tables.js";
import { VerdictSeries } from "../evaluation/verdict-series.js";
import type { AlertNotification } from "../notification/alert-notification.js";
import type { Slo } from "../spec/slo.js";
import { AlertEvaluator, alertHorizon, slosAtRisk } from "./alert-evaluator.js";
import type { AlertRecord, AlertTransitionRecord } from "./alert-record.js";
import { buildAlertNotification, resolvedByRemoval } from "./build-alert-notification.js";

/** One round of the service's alert evaluator: what to enqueue and what to save. */
export interface AlertRound {
  /** Every current alert of every SLO, evaluated at `at`. */
  readonly states: AlertRecord[];
  /** Stored alerts whose SLO or rule is no longer configured. */
  readonly removed: { readonly slo: string; readonly alert: string }[];
  readonly transitions: AlertTransitionRecord[];
  readonly notifications: AlertNotification[];
}

/**
 * Steps every alert of every SLO from its persisted state `previous` to `at`, over the
 * verdicts in `tables` (pure: the service passes its in-memory view and the clock).
 * Firing and resolved transitions get a notification to the SLO's `notify:` targets. A stored
 * alert whose SLO or rule left the config is removed; if it was firing, it resolves (and its
 * firing notification's targets hear so).
 */
export function evaluateAlerts(
  slos: readonly Slo[],
  tables: AttemptTables,
  previous: readonly AlertRecord[],
  at: number,
): AlertRound {
  const stored = alertsBySlo(previous);
  const round = emptyRound();
  for (const slo of slos) evaluateSloAlerts(slo, slos, tables, stored, at, round);
  return closeRound(round, previous, at);
}

/** Stored alerts by SLO name, then by alert name. */
export function alertsBySlo(
  previous: readonly AlertRecord[],
): ReadonlyMap<string, ReadonlyMap<string, AlertRecord>> {
  const stored = new Map<string, Map<string, AlertRecord>>();
  for (const record of previous) {
    let bySlo = stored.get(record.slo);
    if (bySlo === undefined) {
      bySlo = new Map();
      stored.set(record.slo, bySlo);
    }
    bySlo.set(record.alert, record);
  }
  return stored;
}

export function emptyRound(): AlertRound {
  return { states: [], removed: [], transitions: [], notifications: [] };
}

/**
 * Steps the alerts of one SLO (one of `slos`, the whole configuration, which at-risk names
 * come from) into `round`. The service calls it SLO by SLO, so a round over many SLOs and a
 * long history does not hold its event loop for the whole round.
 */
export function evaluateSloAlerts(
  slo: Slo,
  slos: readonly Slo[],
  tables: AttemptTables,
  stored: ReadonlyMap<string, ReadonlyMap<string, AlertRecord>>,
  at: number,
  round: AlertRound,
): void {
  const before = stored.get(slo.name) ?? new Map<string, AlertRecord>();
  const series = VerdictSeries.ofTables(slo, tables, at, alertHorizon(slo, at));
  const evaluator = new AlertEvaluator(slo, series);
  const atRisk = slosAtRisk(slo, slos);
  const step = evaluator.evaluate(at, before);
  const changed = new Map(step.transitions.map((t) => [t.alert, t]));
  for (const state of step.states) {
    const last = before.get(state.alert);
    if (last !== undefined && last.state === state.state && last.since === state.since) {
      round.states.push({ ...last, severity: state.severity, evaluatedAt: at, atRisk });
      continue;
    }
    const transition = changed.get(state.alert);
    const pendingSince = last?.state === "pending" ? (last.activeAt ?? last.since) : at;
    let startsAt = last?.startsAt ?? null;
    let firing: AlertNotification | null = null;
    if (state.state === "firing") startsAt = at;
    if (transition !== undefined) {
      const record: AlertTransitionRecord = {
        ...transition,
        startsAt: transition.state === "pending" ? null : startsAt,
        reason: "condition",
      };
      round.transitions.push(record);
      if (transition.state !== "pending" && startsAt !== null) {
        const notification = buildAlertNotification(
          slo,
          { ...transition, state: transition.state },
          startsAt,
          atRisk,
        );
        if (notification !== null) round.notifications.push(notification);
        if (transition.state === "firing") firing = notification;
      }
    }
    round.states.push({
      ...state,
      activeAt: state.state === "pending" ? at : state.state === "firing" ? pendingSince : null,
      startsAt,
      evaluatedAt: at,
      atRisk,
      firing,
    });
  }
}

/**
 * Finishes a round once every configured SLO was stepped: a stored alert that no SLO stepped
 * (its SLO or rule left the config) is removed, and resolves if it was firing.
 */
export function closeRound(
  round: AlertRound,
  previous: readonly AlertRecord[],
  at: number,
): AlertRound {
  const kept = new Set(round.states.map((state) => JSON.stringify([state.slo, state.alert])));
  for (const record of previous) {
    if (kept.has(JSON.stringify([record.slo, record.alert]))) continue;
    round.removed.push({ slo: record.slo, alert: record.alert });
    if (record.state !== "firing") continue;
    round.transitions.push({
      slo: record.slo,
      alert: record.alert,
      severity: record.severity,
      state: "resolved",
      at,
      startsAt: record.startsAt,
      reason: "removed",
    });
    if (record.firing !== null) round.notifications.push(resolvedByRemoval(record.firing, at));
  }
  return round;
}
