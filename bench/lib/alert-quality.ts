import { replayAlerts, stepInstants } from "../../src/core/alerting/replay-alerts.js";
import type { AlertTransition } from "../../src/core/alerting/step-alert.js";
import { VerdictSeries } from "../../src/core/evaluation/verdict-series.js";
import { parseSloSpecs } from "../../src/core/spec/parse-slo-specs.js";
import type { Slo } from "../../src/core/spec/slo.js";
import { windowBounds } from "../../src/core/spec/window-bounds.js";
import type { SimulatedStream, StreamScenario } from "./simulate-stream.js";

const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;

export const POLICIES = {
  /** deployslo's defaults: an SLO with no alerting section. */
  deployslo: "",
  /** The Workbook's rules on time windows alone, no forecast ticket. */
  workbook: "  alerting: {lowVolume: false, forecast: false}\n",
} as const;
export type PolicyName = keyof typeof POLICIES;

/** The SLO the benchmark streams are judged by, with one of the policies. */
export function benchmarkSlo(policy: PolicyName, target: string, thresholdMs: number): Slo {
  const text = `apiVersion: deployslo/v1
kind: SLO
metadata: {name: simulated}
spec:
  objective: {threshold: ${thresholdMs / 1000}s, target: "${target}"}
  window: 30d
${POLICIES[policy]}`;
  const { slos, diagnostics } = parseSloSpecs(text, "benchmark.yaml");
  const slo = slos[0];
  if (slo === undefined) throw new Error(`benchmark SLO invalid: ${JSON.stringify(diagnostics)}`);
  return slo;
}

/**
 * The benchmark streams for an SLO target: healthy ones miss the threshold at 40% of the
 * rate the budget allows; drifting ones go from 20% to 400% of it over 90 days.
 */
export function scenariosFor(target: string): StreamScenario[] {
  const budget = 1 - Number(target.replace("%", "")) / 100;
  const healthy = 0.4 * budget;
  const regressionSparse = { start: 60 * DAY + 7 * HOUR, end: 63 * DAY + 7 * HOUR };
  const regressionBusy = { start: 60 * DAY + 7 * HOUR, end: 60 * DAY + 19 * HOUR };
  const base = { days: 90, badRate: healthy, regression: null, driftTo: null };
  return [
    { ...base, name: "healthy-sparse", perDay: 3 },
    { ...base, name: "healthy-busy", perDay: 200 },
    { ...base, name: "regression-sparse", perDay: 3, regression: regressionSparse },
    { ...base, name: "regression-busy", perDay: 200, regression: regressionBusy },
    { ...base, name: "drift-sparse", perDay: 3, badRate: 0.2 * budget, driftTo: 4 * budget },
    { ...base, name: "drift-busy", perDay: 200, badRate: 0.2 * budget, driftTo: 4 * budget },
  ];
}

export interface AlertQuality {
  readonly scenario: string;
  readonly policy: PolicyName;
  readonly target: string;
  readonly attempts: number;
  readonly pages: number;
  readonly tickets: number;
  /** Regression scenarios: first page after the regression started, minus its start. */
  readonly detectionMs: number | null;
  /** The goal: max(third bad verdict, one hour) after the start. */
  readonly detectionGoalMs: number | null;
  /**
   * Regression scenarios: when every page was resolved, minus the regression's end (the later
   * of its last bad start and that attempt's verdict).
   */
  readonly resolveMs: number | null;
  /** The goal: max(the longest short window of a page that fired, the third good verdict). */
  readonly resolveGoalMs: number | null;
  /** Drift scenarios: when the budget first ran out, and the first ticket, from the start. */
  readonly exhaustedMs: number | null;
  readonly firstTicketMs: number | null;
  readonly transitions: readonly AlertTransition[];
}

/**
 * Replays one policy over one stream every minute, at every verdict instant and whenever a
 * verdict leaves a rule's window, and measures it against the goals of docs/alerting.md.
 */
export function measureAlertQuality(
  stream: SimulatedStream,
  policy: PolicyName,
  target: string,
): AlertQuality {
  const slo = benchmarkSlo(policy, target, stream.thresholdMs);
  const end = stream.start + stream.scenario.days * DAY;
  const series = VerdictSeries.of(slo, stream.attempts, end);
  const grid = stepInstants(stream.start, end, MINUTE);
  // Every verdict and every instant one leaves a window: the state changes only then.
  const moments = new Set(grid);
  const spans = [
    0,
    ...slo.alerting.rules.flatMap((rule) => [rule.shortWindowMs, rule.longWindowMs]),
  ];
  for (const t of series.times)
    for (const span of spans) if (t + span <= end) moments.add(t + span);
  const instants = [...moments].sort((a, b) => a - b);
  const transitions = replayAlerts([{ slo, series }], instants).filter(
    (t) => t.state !== "pending",
  );
  const firing = transitions.filter((t) => t.state === "firing");
  const pages = firing.filter((t) => t.severity === "page");
  const tickets = firing.filter((t) => t.severity === "ticket");

  let detectionMs: number | null = null;
  let detectionGoalMs: number | null = null;
  let resolveMs: number | null = null;
  let resolveGoalMs: number | null = null;
  const regression = stream.scenario.regression;
  if (regression !== null) {
    const r = stream.start + regression.start;
    const badVerdicts = verdictsOf(slo, stream, r, stream.start + regression.end, true);
    // The regression is over once the last attempt it slowed down is known bad.
    const rEnd = Math.max(stream.start + regression.end, badVerdicts.at(-1) ?? 0);
    detectionGoalMs = Math.max((badVerdicts[2] ?? Number.POSITIVE_INFINITY) - r, HOUR);
    const first = pages.find((t) => t.at >= r);
    detectionMs = first === undefined ? null : first.at - r;
    const goodVerdicts = verdictsOf(slo, stream, stream.start + regression.end, end, false).filter(
      (t) => t > rEnd,
    );
    const fired = new Set(pages.filter((t) => t.at >= r && t.at <= rEnd).map((t) => t.alert));
    const shortest = Math.max(
      0,
      ...slo.alerting.rules
        .filter((rule) => fired.has(rule.name))
        .map((rule) => rule.shortWindowMs),
    );
    resolveGoalMs = Math.max(shortest, (goodVerdicts[2] ?? Number.POSITIVE_INFINITY) - rEnd);
    // Each page firing when the regression ended must resolve; measure the slowest.
    let slowest: number | null = fired.size === 0 ? null : 0;
    for (const alert of fired) {
      const mine = transitions.filter((t) => t.alert === alert);
      const before = mine.filter((t) => t.at <= rEnd).at(-1);
      if (before?.state !== "firing") continue;
      const after = mine.find((t) => t.at > rEnd && t.state === "resolved");
      const took = after === undefined ? Number.POSITIVE_INFINITY : after.at - rEnd;
      slowest = Math.max(slowest ?? 0, took);
    }
    resolveMs = slowest;
  }

  let exhaustedMs: number | null = null;
  let firstTicketMs: number | null = null;
  if (stream.scenario.driftTo !== null) {
    const allowed = 1 - Number(target.replace("%", "")) / 100;
    for (const at of grid) {
      const bounds = windowBounds(slo.window, at);
      const to = series.knownBy(at);
      const from = series.knownBy(bounds.verdictAfter);
      if (series.bad(from, to) > allowed * (to - from) + 1e-9 && at - stream.start >= 30 * DAY) {
        exhaustedMs = at - stream.start;
        break;
      }
    }
    const ticket = tickets[0];
    firstTicketMs = ticket === undefined ? null : ticket.at - stream.start;
  }

  return {
    scenario: stream.scenario.name,
    policy,
    target,
    attempts: stream.attempts.length,
    pages: pages.length,
    tickets: tickets.length,
    detectionMs,
    detectionGoalMs,
    resolveMs,
    resolveGoalMs,
    exhaustedMs,
    firstTicketMs,
    transitions,
  };
}

/** Verdict instants of the attempts started in [from, to), bad or good, ascending. */
function verdictsOf(
  slo: Slo,
  stream: SimulatedStream,
  from: number,
  to: number,
  bad: boolean,
): number[] {
  const inside = stream.attempts.filter((a) => a.startedAt >= from && a.startedAt < to);
  const series = VerdictSeries.of(slo, inside, Number.MAX_SAFE_INTEGER);
  const out: number[] = [];
  for (let i = 0; i < series.length; i++) {
    if ((series.bad(i, i + 1) === 1) === bad) out.push(series.times[i] ?? 0);
  }
  return out;
}
