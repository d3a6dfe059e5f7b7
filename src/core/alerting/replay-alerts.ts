import type { VerdictSeries } from "../evaluation/verdict-series.js";
import type { AlertNotification } from "../notification/alert-notification.js";
import type { Slo } from "../spec/slo.js";
import { AlertEvaluator, slosAtRisk } from "./alert-evaluator.js";
import type { AlertRecord, AlertTransitionRecord } from "./alert-record.js";
import { alertsBySlo, emptyRound, finishRound, stepSloAlerts } from "./alert-round.js";
import type { IncidentRecord, IncidentTransition } from "./step-incidents.js";

/** The instants from..to (inclusive) every `stepMs`. */
export function stepInstants(from: number, to: number, stepMs: number): number[] {
  const out: number[] = [];
  for (let at = from; at <= to; at += stepMs) out.push(at);
  return out;
}

/** What a replay saw, in time order. */
export interface Replay {
  /** Every alert's transitions (pending ones included). */
  readonly transitions: AlertTransitionRecord[];
  /** What would have been notified: a page per incident, tickets not inhibited by a page. */
  readonly notifications: AlertNotification[];
  readonly incidents: IncidentTransition[];
}

/**
 * Runs the service's alert round (stepSloAlerts for each SLO, then finishRound) over
 * ascending `instants`, starting with every alert inactive and no incident open: the same
 * states, incidents and notifications the service would have produced evaluating at each.
 */
export function replayAlerts(
  slos: readonly { readonly slo: Slo; readonly series: VerdictSeries }[],
  instants: readonly number[],
): Replay {
  const configured = slos.map(({ slo }) => slo);
  const evaluators = slos.map(({ slo, series }) => ({
    slo,
    evaluator: new AlertEvaluator(slo, series),
    atRisk: slosAtRisk(slo, configured),
  }));
  const replay: Replay = { transitions: [], notifications: [], incidents: [] };
  let previous: AlertRecord[] = [];
  let open: IncidentRecord[] = [];
  for (const at of instants) {
    const stored = alertsBySlo(previous);
    const round = emptyRound();
    for (const { slo, evaluator, atRisk } of evaluators) {
      stepSloAlerts(slo, evaluator, atRisk, stored, at, round);
    }
    finishRound(round, configured, previous, open, at);
    replay.transitions.push(...round.transitions);
    replay.notifications.push(...round.notifications);
    replay.incidents.push(...round.incidentTransitions);
    previous = round.states;
    open = round.incidents;
  }
  return replay;
}
