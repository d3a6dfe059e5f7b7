import { settleRuns } from "../../src/core/alerting/alert-evaluator.js";
import { replayAlerts, stepInstants } from "../../src/core/alerting/replay-alerts.js";
import { VerdictSeries } from "../../src/core/evaluation/verdict-series.js";
import { parseSloSpecs } from "../../src/core/spec/parse-slo-specs.js";
import type { Slo } from "../../src/core/spec/slo.js";
import { windowBounds } from "../../src/core/spec/window-bounds.js";
import type { SimulatedStream, StreamScenario } from "./simulate-stream.js";

const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;

/**
 * - deployslo: the defaults (an SLO with no alerting section): hysteresis, one page per
 *   incident, grouping, tickets inhibited while a page fires; counts notifications.
 * - previous: the same rules without hysteresis, incidents or grouping (the defaults before
 *   them); every page rule that fires is a page.
 * - workbook: the Workbook's rules on time windows alone, no forecast ticket, no hysteresis;
 *   every rule that fires is a page or ticket (Prometheus rules without Alertmanager grouping).
 */
export const POLICIES = ["deployslo", "previous", "workbook"] as const;
export type PolicyName = (typeof POLICIES)[number];

/** The SLOs the benchmark streams are judged by (two twins, or one), with one of the policies. */
export function benchmarkSlos(
  policy: PolicyName,
  target: string,
  thresholdMs: number,
  twins = false,
): Slo[] {
  const alerting = policy === "workbook" ? "  alerting: {lowVolume: false, forecast: false}\n" : "";
  const doc = (name: string, budgeting: string) => `apiVersion: deployslo/v1
kind: SLO
metadata: {name: ${name}}
spec:
  objective: {threshold: ${thresholdMs / 1000}s, target: "${target}"}
  window: 30d
  budgeting: ${budgeting}
${alerting}`;
  const text = twins
    ? `${doc("simulated", "occurrences")}---\n${doc("simulated-time", "excess-time")}`
    : doc("simulated", "occurrences");
  const { slos, diagnostics } = parseSloSpecs(text, "benchmark.yaml");
  if (slos.length === 0) throw new Error(`benchmark SLO invalid: ${JSON.stringify(diagnostics)}`);
  if (policy === "deployslo") return [...slos];
  return slos.map((slo) => ({
    ...slo,
    alerting: {
      ...slo.alerting,
      group: false,
      rules: slo.alerting.rules.map((rule) => ({ ...rule, keepFiringForMs: 0 })),
    },
  }));
}

/** The bad share of a partial regression: ten times the budget's rate, at most 70%. */
export function partialShare(target: string): number {
  const budget = 1 - Number(target.replace("%", "")) / 100;
  return Math.min(10 * budget, 0.7);
}

/**
 * The benchmark streams for an SLO target: healthy ones miss the threshold at 40% of the
 * rate the budget allows; drifting ones go from 20% to 400% of it over 90 days.
 */
export function scenariosFor(target: string): StreamScenario[] {
  const budget = 1 - Number(target.replace("%", "")) / 100;
  const healthy = 0.4 * budget;
  const sparse = { start: 60 * DAY + 7 * HOUR, end: 63 * DAY + 7 * HOUR };
  const busy = { start: 60 * DAY + 7 * HOUR, end: 60 * DAY + 19 * HOUR };
  const base = { days: 90, badRate: healthy, regression: null, driftTo: null };
  const train = { everyDays: 7, firstDay: 1, hours: 2 };
  return [
    { ...base, name: "healthy-sparse", perDay: 3 },
    { ...base, name: "healthy-busy", perDay: 200 },
    { ...base, name: "regression-sparse", perDay: 3, regression: sparse },
    { ...base, name: "regression-busy", perDay: 200, regression: busy },
    {
      ...base,
      name: "partial-busy",
      perDay: 200,
      regression: { ...busy, share: partialShare(target) },
    },
    { ...base, name: "stalled-sparse", perDay: 3, regression: { ...sparse, stall: true } },
    { ...base, name: "stalled-busy", perDay: 200, regression: { ...busy, stall: true } },
    { ...base, name: "train-healthy", perDay: 4, train },
    {
      ...base,
      name: "train-regression",
      perDay: 4,
      train,
      regression: { start: 64 * DAY, end: 64 * DAY + 12 * HOUR },
    },
    { ...base, name: "twins-busy", perDay: 200, regression: busy, twins: true },
    { ...base, name: "drift-sparse", perDay: 3, badRate: 0.2 * budget, driftTo: 4 * budget },
    { ...base, name: "drift-busy", perDay: 200, badRate: 0.2 * budget, driftTo: 4 * budget },
  ];
}

export interface AlertQuality {
  readonly scenario: string;
  readonly policy: PolicyName;
  readonly target: string;
  readonly attempts: number;
  /** Page notifications (deployslo) or page rule firings (the others) over the 90 days. */
  readonly pages: number;
  /** Of those, the ones during the incident: from its start to the end of the resolve goal. */
  readonly incidentPages: number | null;
  readonly tickets: number;
  /** Regression scenarios: first page after the regression started, minus its start. */
  readonly detectionMs: number | null;
  /** The goal: max(third bad verdict, one hour) after the start; null for partial ones. */
  readonly detectionGoalMs: number | null;
  /** Regression scenarios: when every page was resolved, minus the regression's end. */
  readonly resolveMs: number | null;
  /** The goal: see resolveGoal. */
  readonly resolveGoalMs: number | null;
  /** Drift scenarios: when the budget first ran out, and the first ticket, from the start. */
  readonly exhaustedMs: number | null;
  readonly firstTicketMs: number | null;
}

/** A page or ticket as the policy tells it: `id` names its episode. */
interface Told {
  readonly id: string;
  readonly severity: "page" | "ticket";
  readonly state: "firing" | "resolved";
  readonly at: number;
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
  const slos = benchmarkSlos(policy, target, stream.thresholdMs, stream.scenario.twins === true);
  const [slo] = slos;
  if (slo === undefined) throw new Error("no SLO");
  const end = stream.start + stream.scenario.days * DAY;
  const judged = slos.map((s) => ({ slo: s, series: VerdictSeries.of(s, stream.attempts, end) }));
  const series = judged[0]?.series ?? VerdictSeries.of(slo, [], end);
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
  const replay = replayAlerts(judged, instants);
  const told: Told[] =
    policy === "deployslo"
      ? replay.notifications.map((n) => ({
          id: n.incident ?? n.key,
          severity: n.severity,
          state: n.state,
          at: n.at,
        }))
      : replay.transitions
          .filter((t) => t.state !== "pending")
          .map((t) => ({
            id: `${t.slo}/${t.alert}`,
            severity: t.severity,
            state: t.state === "firing" ? "firing" : "resolved",
            at: t.at,
          }));
  const firing = told.filter((t) => t.state === "firing");
  const pages = firing.filter((t) => t.severity === "page");
  const tickets = firing.filter((t) => t.severity === "ticket");
  const regression = measureRegression(stream, slo, told);

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
    // A page is a louder ticket: while one fires, tickets of its SLO are inhibited.
    const first = firing[0];
    firstTicketMs = first === undefined ? null : first.at - stream.start;
  }

  return {
    scenario: stream.scenario.name,
    policy,
    target,
    attempts: stream.attempts.length,
    pages: pages.length,
    tickets: tickets.length,
    ...regression,
    exhaustedMs,
    firstTicketMs,
  };
}

type RegressionQuality = Pick<
  AlertQuality,
  "incidentPages" | "detectionMs" | "detectionGoalMs" | "resolveMs" | "resolveGoalMs"
>;

/** Detection, resolution and pages of the regression, when the stream has one. */
function measureRegression(
  stream: SimulatedStream,
  slo: Slo,
  told: readonly Told[],
): RegressionQuality {
  const regression = stream.scenario.regression;
  const none = {
    incidentPages: null,
    detectionMs: null,
    detectionGoalMs: null,
    resolveMs: null,
    resolveGoalMs: null,
  };
  if (regression === null) return none;
  const end = stream.start + stream.scenario.days * DAY;
  const pages = told.filter((t) => t.severity === "page");
  const r = stream.start + regression.start;
  const badVerdicts = verdictsOf(slo, stream, r, stream.start + regression.end, true);
  // The regression is over once the last attempt it slowed down is known bad.
  const rEnd = Math.max(stream.start + regression.end, badVerdicts.at(-1) ?? 0);
  const partial = (regression.share ?? 1) < 1;
  const detectionGoalMs = partial
    ? null
    : Math.max((badVerdicts[2] ?? Number.POSITIVE_INFINITY) - r, HOUR);
  const first = pages.find((t) => t.state === "firing" && t.at >= r);
  const detectionMs = first === undefined ? null : first.at - r;
  const goodVerdicts = verdictsOf(slo, stream, stream.start + regression.end, end, false).filter(
    (t) => t > rEnd,
  );
  const fired = new Set(
    pages.filter((t) => t.state === "firing" && t.at >= r && t.at <= rEnd).map((t) => t.id),
  );
  // Hysteresis: a page resolves once keepFiringFor has passed since its condition last held
  // (at the latest its short window after the end, or the first good attempt after it) and
  // as many good attempts as settleRuns asks for the regression's share of bad ones followed
  // the last bad one.
  const rules = slo.alerting.rules.filter((rule) => rule.severity === "page");
  const keep = Math.max(0, ...rules.map((rule) => rule.keepFiringForMs));
  const settle = Math.max(0, ...rules.map((rule) => rule.shortWindowMs + rule.keepFiringForMs));
  const all =
    badVerdicts.length + verdictsOf(slo, stream, r, stream.start + regression.end, false).length;
  const runs = keep > 0 ? settleRuns(badVerdicts.length, all, 3) : 3;
  const firstGood = goodVerdicts[0] ?? Number.POSITIVE_INFINITY;
  const resolveGoalMs = Math.max(
    settle,
    firstGood + keep - rEnd,
    (goodVerdicts[runs - 1] ?? Number.POSITIVE_INFINITY) - rEnd,
  );
  // Each page firing when the regression ended must resolve; measure the slowest.
  let slowest: number | null = fired.size === 0 ? null : 0;
  for (const id of fired) {
    const mine = told.filter((t) => t.id === id);
    const before = mine.filter((t) => t.at <= rEnd).at(-1);
    if (before?.state !== "firing") continue;
    const after = mine.find((t) => t.at > rEnd && t.state === "resolved");
    const took = after === undefined ? Number.POSITIVE_INFINITY : after.at - rEnd;
    slowest = Math.max(slowest ?? 0, took);
  }
  const incidentEnd = rEnd + (Number.isFinite(resolveGoalMs) ? resolveGoalMs : DAY);
  const incidentPages = pages.filter(
    (t) => t.state === "firing" && t.at >= r && t.at <= incidentEnd,
  ).length;
  return {
    incidentPages,
    detectionMs,
    detectionGoalMs,
    resolveMs: slowest,
    resolveGoalMs,
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
