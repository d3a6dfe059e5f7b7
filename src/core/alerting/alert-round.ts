import type { AttemptTables } from "../evaluation/attempt-tables.js";
import type { VerdictCache } from "../evaluation/verdict-cache.js";
import { VerdictSeries } from "../evaluation/verdict-series.js";
import type { AlertNotification } from "../notification/alert-notification.js";
import type { Slo } from "../spec/slo.js";
import { AlertEvaluator, alertHorizon, slosAtRisk } from "./alert-evaluator.js";
import type { AlertRecord, AlertTransitionRecord } from "./alert-record.js";
import { buildAlertNotification, resolvedFrom } from "./build-alert-notification.js";
import { type IncidentRecord, type IncidentTransition, stepIncidents } from "./step-incidents.js";

/** One round of the alert evaluator: what to enqueue and what to save. */
export interface AlertRound {
  /** Every current alert of every SLO, evaluated at `at`. */
  readonly states: AlertRecord[];
  /** Stored alerts whose SLO or rule is no longer configured. */
  readonly removed: { readonly slo: string; readonly alert: string }[];
  readonly transitions: AlertTransitionRecord[];
  /**
   * Every notification of the round: one per incident that opened or resolved (pages) and
   * per ticket that fired or resolved while no page of its SLO fired. Those of SLOs without
   * `notify:` targets have none: they are counted (replay) but not sent.
   */
  readonly notifications: AlertNotification[];
  /** The incidents open after the round (set by finishRound). */
  incidents: IncidentRecord[];
  readonly incidentTransitions: IncidentTransition[];
}

/**
 * Steps every alert of every SLO from its persisted state `previous` (and the incidents
 * `open`) to `at`, over the verdicts in `tables` (pure: the service passes its in-memory
 * view and the clock); see evaluateSloAlerts, closeRound and finishRound.
 */
export function evaluateAlerts(
  slos: readonly Slo[],
  tables: AttemptTables,
  previous: readonly AlertRecord[],
  at: number,
  open: readonly IncidentRecord[] = [],
): AlertRound {
  const stored = alertsBySlo(previous);
  const round = emptyRound();
  for (const slo of slos) evaluateSloAlerts(slo, slos, tables, stored, at, round);
  closeRound(round, previous, at);
  return finishRound(round, slos, previous, open, at);
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
  return {
    states: [],
    removed: [],
    transitions: [],
    notifications: [],
    incidents: [],
    incidentTransitions: [],
  };
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
  verdicts?: VerdictCache,
): void {
  const horizon = alertHorizon(slo, at);
  const series =
    verdicts === undefined
      ? VerdictSeries.ofTables(slo, tables, at, horizon)
      : verdicts.series(slo, at, horizon);
  const evaluator = new AlertEvaluator(slo, series);
  stepSloAlerts(slo, evaluator, slosAtRisk(slo, slos), stored, at, round);
}

/**
 * Steps the alerts of one SLO with `evaluator` (over its verdicts) into `round`: states and
 * transitions; notifications come in finishRound, once every SLO was stepped. Replay calls
 * this with one evaluator per SLO for all its instants; the service through evaluateSloAlerts.
 */
export function stepSloAlerts(
  slo: Slo,
  evaluator: AlertEvaluator,
  atRisk: readonly string[],
  stored: ReadonlyMap<string, ReadonlyMap<string, AlertRecord>>,
  at: number,
  round: AlertRound,
): void {
  const before = stored.get(slo.name) ?? new Map<string, AlertRecord>();
  const step = evaluator.evaluate(at, before);
  const changed = new Map(step.transitions.map((t) => [t.alert, t]));
  for (const state of step.states) {
    const last = before.get(state.alert);
    if (last !== undefined && last.state === state.state && last.since === state.since) {
      round.states.push({
        ...last,
        severity: state.severity,
        heldAt: state.heldAt,
        evaluatedAt: at,
        atRisk,
      });
      continue;
    }
    const transition = changed.get(state.alert);
    const pendingSince = last?.state === "pending" ? (last.activeAt ?? last.since) : at;
    let startsAt = last?.startsAt ?? null;
    if (state.state === "firing") startsAt = at;
    if (transition !== undefined) {
      round.transitions.push({
        ...transition,
        startsAt: transition.state === "pending" ? null : startsAt,
        reason: "condition",
      });
    }
    round.states.push({
      ...state,
      activeAt: state.state === "pending" ? at : state.state === "firing" ? pendingSince : null,
      startsAt,
      evaluatedAt: at,
      atRisk,
      firing: null,
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
    if (record.firing !== null && record.severity === "ticket") {
      round.notifications.push(resolvedFrom(record.firing, at, "removed"));
    }
  }
  return round;
}

/**
 * The notifications of a closed round: the incidents step (pages, stepIncidents), then the
 * tickets. A ticket that fires while a page of its SLO fires is inhibited: it is notified
 * once no page of its SLO fires any more, if it still fires then. A ticket resolves to
 * whoever heard it fire.
 */
export function finishRound(
  round: AlertRound,
  slos: readonly Slo[],
  previous: readonly AlertRecord[],
  open: readonly IncidentRecord[],
  at: number,
): AlertRound {
  const stored = alertsBySlo(previous);
  const adopt = new Map<string, AlertNotification[]>();
  for (const record of previous) {
    if (record.severity !== "page" || record.firing === null) continue;
    adopt.set(record.slo, [...(adopt.get(record.slo) ?? []), record.firing]);
  }
  const risk = new Map(round.states.map((s) => [s.slo, s.atRisk]));
  const step = stepIncidents(
    slos,
    round.states,
    open,
    at,
    (slo) => risk.get(slo.name) ?? [],
    adopt,
  );
  round.incidents = step.incidents;
  round.incidentTransitions.push(...step.transitions);
  round.notifications.push(...step.notifications);
  const paging = new Set(step.incidents.flatMap((incident) => incident.slos));
  const byName = new Map(slos.map((slo) => [slo.name, slo]));
  round.states.forEach((state, i) => {
    const last = stored.get(state.slo)?.get(state.alert);
    const slo = byName.get(state.slo);
    if (state.severity === "page") {
      if (state.firing !== null) round.states[i] = { ...state, firing: null };
      return;
    }
    if (state.state === "resolved" && last?.state === "firing" && last.firing !== null) {
      round.notifications.push(resolvedFrom(last.firing, at, "condition"));
      return;
    }
    if (state.state !== "firing" || slo === undefined) return;
    const firing = state.since === last?.since && last.state === "firing" ? last.firing : null;
    if (firing !== null || paging.has(state.slo)) {
      round.states[i] = { ...state, firing };
      return;
    }
    const notification = buildAlertNotification(
      slo,
      { alert: state.alert, severity: state.severity, state: "firing", at },
      state.startsAt ?? at,
      state.atRisk,
    );
    round.notifications.push(notification);
    round.states[i] = { ...state, firing: notification };
  });
  return round;
}
