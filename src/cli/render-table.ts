import type { EvaluationResult, SloStatus } from "../core/evaluation/evaluation-result.js";
import { formatDuration } from "../core/primitives/duration.js";
import { type Style, visibleWidth } from "./style.js";

/** Percent truncated toward zero, so 99.996% never shows as 100.00%. */
export function formatPercent(ratio: number, decimals = 2): string {
  const factor = 10 ** decimals;
  const truncated = Math.trunc(ratio * 100 * factor) / factor;
  return `${truncated.toFixed(decimals)}%`;
}

/** Seconds for people: 12.4s, 3m12s, 1h05m, 2d3h. */
export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${Number(seconds.toFixed(1))}s`;
  const whole = Math.round(seconds);
  if (whole < 3600) return `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, "0")}s`;
  if (whole < 86_400) {
    return `${Math.floor(whole / 3600)}h${String(Math.floor((whole % 3600) / 60)).padStart(2, "0")}m`;
  }
  return `${Math.floor(whole / 86_400)}d${Math.floor((whole % 86_400) / 3600)}h`;
}

function formatBurn(rate: number): string {
  return rate >= 100 ? rate.toFixed(0) : rate.toFixed(2);
}

function objective(slo: SloStatus): string {
  const threshold = formatDuration(slo.thresholdSeconds * 1000);
  const target =
    slo.percentile === null
      ? formatPercent(slo.target, 2).replace(/\.?0+%$/, "%")
      : `p${slo.percentile}`;
  return `${target} ≤ ${threshold}`;
}

function budgetLeft(slo: SloStatus): string {
  const ratio = formatPercent(slo.errorBudget.remainingRatio, 1);
  if (slo.errorBudget.unit === "attempts") return ratio;
  const remaining = slo.errorBudget.remaining;
  return `${ratio} (${remaining < 0 ? "-" : ""}${formatSeconds(Math.abs(remaining))})`;
}

function status(slo: SloStatus, style: Style): string {
  if (slo.eligible === 0 && slo.errorBudget.consumed === 0) return style.dim("no data");
  if (!slo.met) return style.red(style.bold("VIOLATED"));
  if (slo.errorBudget.remainingRatio < 0.25) return style.yellow("at risk");
  return style.green("met");
}

type Align = "left" | "right";
const COLUMNS: readonly [string, Align][] = [
  ["SLO", "left"],
  ["OBJECTIVE", "left"],
  ["WINDOW", "left"],
  ["ELIGIBLE", "right"],
  ["BAD", "right"],
  ["IN PROGRESS", "right"],
  ["COMPLIANCE", "right"],
  ["BUDGET LEFT", "right"],
  ["BURN 1h", "right"],
  ["BURN 1d", "right"],
  ["BURN WINDOW", "right"],
  ["p95", "right"],
  ["STATUS", "left"],
];

type SpanEnd = Extract<SloStatus["indicator"], { type: "span" }>["from"];

/** "approval end", or the default end's short name. */
function spanText(point: SpanEnd, fallback: string): string {
  return point === null ? fallback : `${point.stage} ${point.at}`;
}

function row(slo: SloStatus, style: Style): string[] {
  const name =
    slo.indicator.type === "stage"
      ? `${slo.name} (stage ${slo.indicator.stage})`
      : slo.indicator.type === "dependency"
        ? `${slo.name} (${slo.indicator.dependency})`
        : slo.indicator.type === "span"
          ? `${slo.name} (${spanText(slo.indicator.from, "request")} → ${spanText(slo.indicator.to, "first inference")})`
          : slo.name;
  const compliance = slo.compliance === null ? "–" : formatPercent(slo.compliance);
  return [
    name,
    objective(slo),
    slo.window.kind === "rolling" ? slo.window.length : `calendar ${slo.window.length}`,
    String(slo.eligible),
    String(slo.bad),
    String(slo.inProgress),
    compliance,
    budgetLeft(slo),
    formatBurn(slo.burnRates["1h"]),
    formatBurn(slo.burnRates["1d"]),
    formatBurn(slo.burnRates.window),
    slo.percentiles.p95 === null ? "–" : formatSeconds(slo.percentiles.p95),
    status(slo, style),
  ];
}

/** The human table of `deployslo evaluate`: one row per SLO, then a line saying as of when. */
export function renderTable(result: EvaluationResult, style: Style): string {
  const header = COLUMNS.map(([title]) => style.bold(title));
  const rows = [header, ...result.slos.map((slo) => row(slo, style))];
  const widths = COLUMNS.map((_, c) => Math.max(...rows.map((r) => visibleWidth(r[c] ?? ""))));
  const lines = rows.map((cells) =>
    cells
      .map((cell, c) => {
        const pad = " ".repeat((widths[c] ?? 0) - visibleWidth(cell));
        return COLUMNS[c]?.[1] === "right" ? pad + cell : cell + pad;
      })
      .join("  ")
      .trimEnd(),
  );
  return `${lines.join("\n")}\n`;
}
