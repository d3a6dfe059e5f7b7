import type { VerdictSeries } from "../evaluation/verdict-series.js";
import type { Slo } from "../spec/slo.js";
import { AlertEvaluator } from "./alert-evaluator.js";
import type { AlertState, AlertTransition } from "./step-alert.js";

/** The instants from..to (inclusive) every `stepMs`. */
export function stepInstants(from: number, to: number, stepMs: number): number[] {
  const out: number[] = [];
  for (let at = from; at <= to; at += stepMs) out.push(at);
  return out;
}

/**
 * Runs the alert state machine of each SLO over ascending `instants`, starting with every
 * alert inactive, and returns the transitions in time order (pending ones included).
 */
export function replayAlerts(
  slos: readonly { readonly slo: Slo; readonly series: VerdictSeries }[],
  instants: readonly number[],
): AlertTransition[] {
  const transitions: AlertTransition[] = [];
  for (const { slo, series } of slos) {
    const evaluator = new AlertEvaluator(slo, series);
    let states = new Map<string, AlertState>();
    for (const at of instants) {
      const step = evaluator.evaluate(at, states);
      if (step.transitions.length > 0) transitions.push(...step.transitions);
      states = new Map(step.states.map((state) => [state.alert, state]));
    }
  }
  const order = new Map(slos.map(({ slo }, i) => [slo.name, i]));
  return transitions.sort(
    (a, b) => a.at - b.at || (order.get(a.slo) ?? 0) - (order.get(b.slo) ?? 0),
  );
}
