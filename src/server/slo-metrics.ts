import { Counter, collectDefaultMetrics, Gauge, Registry } from "prom-client";
import type { EvaluationResult } from "../core/evaluation/evaluation-result.js";
import { DURATION_BUCKETS, METRIC_NAMES } from "../integrations/prometheus/metric-names.js";
import type { HistoryFigures } from "../integrations/prometheus/verdict-counters.js";

/**
 * The verdict counter and the duration histogram, from one pass per scrape. Before the first
 * pass over the whole history is done (`history` answers undefined), neither is exposed: a
 * counter that appeared low and then jumped would read as a burst of verdicts.
 */
function historyMetrics(
  registry: Registry,
  history: () => Promise<HistoryFigures | undefined>,
): void {
  let pending: Promise<HistoryFigures | undefined> | undefined;
  const current = (): Promise<HistoryFigures | undefined> => {
    pending ??= history().finally(() => setTimeout(() => (pending = undefined), 0));
    return pending;
  };
  new Counter({
    name: METRIC_NAMES.verdicts,
    help: "Verdicts known so far over every stored attempt (good or bad); they only grow",
    labelNames: ["slo", "verdict"],
    registers: [registry],
    async collect() {
      this.reset();
      for (const count of (await current())?.counts ?? []) {
        this.inc({ slo: count.slo, verdict: "good" }, count.good);
        this.inc({ slo: count.slo, verdict: "bad" }, count.bad);
      }
    },
  });
  // prom-client's Histogram only takes one observation at a time; these are counts already.
  const name = METRIC_NAMES.duration;
  const help = "Durations of the subjects that succeeded (good or slow), over every stored attempt";
  registry.registerMetric({
    name,
    help,
    type: "histogram",
    aggregator: "sum",
    async get() {
      const values: {
        labels: Record<string, string | number>;
        value: number;
        metricName: string;
      }[] = [];
      for (const [slo, figures] of (await current())?.durations ?? []) {
        let cumulative = 0;
        DURATION_BUCKETS.forEach((le, i) => {
          cumulative += figures.buckets[i] ?? 0;
          values.push({ labels: { le, slo }, value: cumulative, metricName: `${name}_bucket` });
        });
        values.push({
          labels: { le: "+Inf", slo },
          value: figures.count,
          metricName: `${name}_bucket`,
        });
        values.push({ labels: { slo }, value: figures.sumSeconds, metricName: `${name}_sum` });
        values.push({ labels: { slo }, value: figures.count, metricName: `${name}_count` });
      }
      return { name, help, type: "histogram", values, aggregator: "sum" };
    },
  } as unknown as Parameters<Registry["registerMetric"]>[0]);
}

export { METRIC_NAMES };

/**
 * A registry with the process's default metrics and per-SLO gauges computed at scrape time
 * from one evaluation (shared by every gauge of that scrape), and, given `history`, each SLO's
 * verdicts and durations over the whole history as a counter and a histogram (what exported
 * Prometheus rules and dashboards read).
 */
export function sloMetrics(
  evaluate: () => Promise<EvaluationResult>,
  history?: () => Promise<HistoryFigures | undefined>,
): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "deployslo_" });
  registerSloGauges(registry, evaluate);
  if (history !== undefined) historyMetrics(registry, history);
  return registry;
}

/**
 * The per-SLO gauges alone, for one scrape of the SLOs in `result`: what a scoped token reads
 * from /metrics (its SLOs, without the process's metrics, which describe the shared service).
 */
export function sloGaugesText(result: EvaluationResult): Promise<string> {
  const registry = new Registry();
  registerSloGauges(registry, () => Promise.resolve(result));
  return registry.metrics();
}

function registerSloGauges(registry: Registry, evaluate: () => Promise<EvaluationResult>): void {
  let pending: Promise<EvaluationResult> | undefined;
  const current = (): Promise<EvaluationResult> => {
    // Gauges are collected one after another within a scrape; evaluate once per scrape.
    pending ??= evaluate().finally(() => setTimeout(() => (pending = undefined), 0));
    return pending;
  };
  const gauge = (
    name: string,
    help: string,
    set: (g: Gauge<string>, result: EvaluationResult) => void,
    labelNames: string[] = ["slo"],
  ) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        this.reset();
        set(this, await current());
      },
    });
  gauge(
    METRIC_NAMES.compliance,
    "Good / eligible attempts (1 − violation time / window for excess-time SLOs); absent when nothing is eligible",
    (g, r) => {
      for (const s of r.slos) if (s.compliance !== null) g.set({ slo: s.name }, s.compliance);
    },
  );
  gauge(METRIC_NAMES.target, "The SLO's target", (g, r) => {
    for (const s of r.slos) g.set({ slo: s.name }, s.target);
  });
  gauge(METRIC_NAMES.met, "1 when the SLO is met, 0 otherwise", (g, r) => {
    for (const s of r.slos) g.set({ slo: s.name }, s.met ? 1 : 0);
  });
  gauge(
    METRIC_NAMES.budgetRemainingRatio,
    "Remaining error budget / total (negative when overspent)",
    (g, r) => {
      for (const s of r.slos) g.set({ slo: s.name }, s.errorBudget.remainingRatio);
    },
  );
  gauge(
    METRIC_NAMES.burnRate,
    "Error budget burn rate over a lookback (1 = on budget)",
    (g, r) => {
      for (const s of r.slos) {
        for (const [key, rate] of Object.entries(s.burnRates))
          g.set({ slo: s.name, window: key }, rate);
      }
    },
    ["slo", "window"],
  );
  gauge(METRIC_NAMES.eligible, "Attempts with a verdict in the window", (g, r) => {
    for (const s of r.slos) g.set({ slo: s.name }, s.eligible);
  });
  gauge(METRIC_NAMES.bad, "Bad attempts in the window", (g, r) => {
    for (const s of r.slos) g.set({ slo: s.name }, s.bad);
  });
  gauge(METRIC_NAMES.inProgress, "Attempts in progress now", (g, r) => {
    for (const s of r.slos) g.set({ slo: s.name }, s.inProgress);
  });
  gauge(
    METRIC_NAMES.p95,
    "p95 of successful deployment durations in the window (nearest rank)",
    (g, r) => {
      for (const s of r.slos)
        if (s.percentiles.p95 !== null) g.set({ slo: s.name }, s.percentiles.p95);
    },
  );
}

/**
 * The counter of rows retention deleted, on `registry` (the process's, unscoped); returns what
 * the retention loop calls after each batch.
 */
export function retentionMetrics(
  registry: Registry,
): (batch: { readonly table: string; readonly deleted: number }) => void {
  const counter = new Counter({
    name: METRIC_NAMES.retentionDeleted,
    help: "Rows deleted because no SLO can see them any more (serve --retain), by table",
    labelNames: ["table"],
    registers: [registry],
  });
  counter.inc({ table: "attempts" }, 0);
  counter.inc({ table: "notifications" }, 0);
  return (batch) => counter.inc({ table: batch.table }, batch.deleted);
}
