import { collectDefaultMetrics, Gauge, Registry } from "prom-client";
import type { EvaluationResult } from "../core/evaluation/evaluation-result.js";

/** Every metric name and label deployslo exports, in one place (docs/api.md lists them). */
export const METRIC_NAMES = {
  compliance: "deployslo_slo_compliance",
  target: "deployslo_slo_target",
  met: "deployslo_slo_met",
  budgetRemainingRatio: "deployslo_slo_error_budget_remaining_ratio",
  burnRate: "deployslo_slo_burn_rate",
  eligible: "deployslo_slo_eligible_attempts",
  bad: "deployslo_slo_bad_attempts",
  inProgress: "deployslo_slo_in_progress_attempts",
  p95: "deployslo_slo_duration_p95_seconds",
} as const;

/**
 * A registry with the process's default metrics and per-SLO gauges computed at scrape time
 * from one evaluation (shared by every gauge of that scrape).
 */
export function sloMetrics(evaluate: () => Promise<EvaluationResult>): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "deployslo_" });
  registerSloGauges(registry, evaluate);
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
