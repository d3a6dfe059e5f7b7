import { STATUS_LOOKBACKS } from "../../core/evaluation/burn-lookbacks.js";
import type { Slo } from "../../core/spec/slo.js";
import { METRIC_NAMES } from "./metric-names.js";
import { promDuration, ruleWindows } from "./prometheus-rules.js";

type Panel = Record<string, unknown>;

// biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, not a template
const DATASOURCE = { type: "prometheus", uid: "${datasource}" };
const SLO = 'slo=~"$slo"';

function target(expr: string, legendFormat: string, refId: string): Record<string, unknown> {
  return { datasource: DATASOURCE, expr, legendFormat, refId };
}

function stat(id: number, title: string, expr: string, unit: string, x: number, y: number): Panel {
  return {
    id,
    type: "stat",
    title,
    datasource: DATASOURCE,
    gridPos: { h: 5, w: 6, x, y },
    fieldConfig: { defaults: { unit, decimals: 2 }, overrides: [] },
    options: {
      reduceOptions: { calcs: ["lastNotNull"], fields: "", values: false },
      colorMode: "value",
      graphMode: "area",
    },
    targets: [target(expr, "{{slo}}", "A")],
  };
}

function timeseries(
  id: number,
  title: string,
  targets: Record<string, unknown>[],
  unit: string,
  y: number,
  description: string,
): Panel {
  return {
    id,
    type: "timeseries",
    title,
    description,
    datasource: DATASOURCE,
    gridPos: { h: 8, w: 24, x: 0, y },
    fieldConfig: { defaults: { unit }, overrides: [] },
    options: {
      legend: { displayMode: "table", placement: "right", calcs: ["lastNotNull", "max"] },
    },
    targets,
  };
}

/** The dashboard's panels, with a burn-rate series per window. */
function panelsOf(slos: readonly Slo[]): Panel[] {
  const windows = [
    ...new Set([...STATUS_LOOKBACKS.map((l) => l.ms), ...slos.flatMap(ruleWindows)]),
  ].sort((a, b) => a - b);
  const burnTargets = windows.map((ms, i) =>
    target(
      `slo:burn_rate:ratio_rate${promDuration(ms)}{${SLO}}`,
      `{{slo}} ${promDuration(ms)}`,
      `W${i}`,
    ),
  );
  return [
    stat(1, "Compliance", `${METRIC_NAMES.compliance}{${SLO}}`, "percentunit", 0, 0),
    stat(2, "Target", `${METRIC_NAMES.target}{${SLO}}`, "percentunit", 6, 0),
    stat(
      3,
      "Error budget remaining",
      `${METRIC_NAMES.budgetRemainingRatio}{${SLO}}`,
      "percentunit",
      12,
      0,
    ),
    stat(4, "In progress", `${METRIC_NAMES.inProgress}{${SLO}}`, "none", 18, 0),
    timeseries(
      5,
      "Burn rate by window (recorded by the exported rules)",
      burnTargets,
      "none",
      5,
      "Bad verdicts / all verdicts over the window, divided by 1 − target; 1 spends the budget exactly over the SLO window. Needs the rules of deployslo export prometheus-rules.",
    ),
    timeseries(
      6,
      "Burn rate by window (computed by deployslo)",
      [target(`${METRIC_NAMES.burnRate}{${SLO}}`, "{{slo}} {{window}}", "A")],
      "none",
      13,
      "deployslo's own burn rates (GET /api/v1/slos), by lookback and over the whole window.",
    ),
    timeseries(
      7,
      "Verdicts per hour",
      [
        target(
          `sum by (slo, verdict) (increase(${METRIC_NAMES.verdicts}{${SLO}}[1h]))`,
          "{{slo}} {{verdict}}",
          "A",
        ),
      ],
      "none",
      21,
      "Good and bad verdicts that became known, from the verdict counters.",
    ),
    timeseries(
      8,
      "p95 duration",
      [
        target(`${METRIC_NAMES.p95}{${SLO}}`, "{{slo}} in the window (deployslo, exact)", "A"),
        target(
          `histogram_quantile(0.95, sum by (slo, le) (increase(${METRIC_NAMES.duration}_bucket{${SLO}}[1d])))`,
          "{{slo}} over 1d (histogram, interpolated in its bucket)",
          "B",
        ),
      ],
      "s",
      29,
      "p95 of the durations of attempts that served: deployslo's nearest-rank p95 over the SLO window, and Prometheus' estimate from the duration histogram over the last day (within the bucket that holds the true value).",
    ),
  ];
}

/**
 * A Grafana dashboard over what /metrics exposes and the exported recording rules record:
 * per SLO (a multi-value variable), compliance, remaining budget, burn rates by window (the
 * status lookbacks, and every rule window of `slos` when given), verdicts and the p95
 * duration. Import it in Grafana and pick the Prometheus data source.
 */
export function grafanaDashboard(slos: readonly Slo[] = []): Record<string, unknown> {
  return {
    title: "deployslo SLOs",
    uid: "deployslo-slos",
    tags: ["deployslo", "slo"],
    timezone: "utc",
    schemaVersion: 39,
    editable: true,
    refresh: "1m",
    time: { from: "now-7d", to: "now" },
    templating: {
      list: [
        {
          name: "datasource",
          type: "datasource",
          query: "prometheus",
          label: "Data source",
          current: {},
        },
        {
          name: "slo",
          type: "query",
          label: "SLO",
          datasource: DATASOURCE,
          query: { query: `label_values(${METRIC_NAMES.target}, slo)`, refId: "slo" },
          definition: `label_values(${METRIC_NAMES.target}, slo)`,
          multi: true,
          includeAll: true,
          refresh: 2,
          current: {},
        },
      ],
    },
    panels: panelsOf(slos),
  };
}
