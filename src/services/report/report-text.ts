import type { SloReportEntryJson, SloReportJson } from "../../contract/slo-report-schema.js";
import { formatDuration } from "../../core/primitives/duration.js";

/** Seconds for a report: 8.3s under a minute, whole seconds above (13m20s); — for none. */
export function seconds(value: number | null | undefined): string {
  if (value === null || value === undefined) return "—";
  if (Math.abs(value) < 60) {
    const text = value.toFixed(1);
    return `${Number(text) === 0 ? "0.0" : text}s`;
  }
  return formatDuration(Math.round(value) * 1000);
}

/** A ratio as a percentage with `digits` decimals; — for none. */
export function percent(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined) return "—";
  const text = (value * 100).toFixed(digits);
  return `${Number(text) === 0 ? (0).toFixed(digits) : text}%`;
}

/** A budget amount in its unit: attempts with one decimal, seconds as a duration. */
export function budgetAmount(value: number, unit: "attempts" | "seconds"): string {
  return unit === "attempts" ? `${value.toFixed(1)} attempts` : seconds(value);
}

/** Ends `text` with a full stop unless it ends a sentence already. */
export function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

export interface AlertTotal {
  readonly alert: string;
  readonly severity: "page" | "ticket";
  readonly firings: number;
  /** Time firing inside the period (firings that began before it count from its start). */
  readonly firingSeconds: number;
  /** Still firing at the period's end. */
  readonly open: boolean;
}

/** An SLO's alert firings in the period, per alert rule, in the order they first fired. */
export function alertSummary(entry: SloReportEntryJson, report: SloReportJson): AlertTotal[] {
  const from = Date.parse(report.from);
  const to = Date.parse(report.to);
  const totals = new Map<string, AlertTotal>();
  for (const a of entry.alerts) {
    const start = Math.max(from, Date.parse(a.firedAt));
    const end = a.resolvedAt === null ? to : Math.min(to, Date.parse(a.resolvedAt));
    const before = totals.get(a.alert);
    totals.set(a.alert, {
      alert: a.alert,
      severity: a.severity,
      firings: (before?.firings ?? 0) + 1,
      firingSeconds: (before?.firingSeconds ?? 0) + Math.max(0, end - start) / 1000,
      open: (before?.open ?? false) || a.resolvedAt === null,
    });
  }
  return [...totals.values()];
}

/** The report's first line: the month, what was read, and "as of" for a month still running. */
export function periodLine(report: SloReportJson): string {
  const running = Date.parse(report.asOf) < Date.parse(report.to) - 1;
  return `From ${report.from} to ${report.to} (exclusive)${running ? `, as of ${report.asOf} (the month is not over)` : ""}, ${report.attempts} attempts read; alerts replayed every ${seconds(report.alertStepSeconds)}.${report.complete ? "" : " Not every stored attempt could be read: the figures rest on the newest ones."}`;
}
