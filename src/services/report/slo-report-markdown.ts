import type { SloReportEntryJson, SloReportJson } from "../../contract/slo-report-schema.js";
import {
  alertSummary,
  budgetAmount,
  percent,
  periodLine,
  seconds,
  sentence,
} from "./report-text.js";

/** Table cells: pipes and line breaks would end the cell or the row, < would open HTML. */
function cell(text: string): string {
  return text.replace(/[\\|<>]/g, (c) => `\\${c}`).replace(/[\r\n]+/g, " ");
}

/** Headings and list items: characters Markdown would read as markup or HTML, escaped. */
function inline(text: string): string {
  return text.replace(/[\\`*_[\]<>|#]/g, (c) => `\\${c}`).replace(/[\r\n]+/g, " ");
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const line = (cells: readonly string[]) => `| ${cells.map(cell).join(" | ")} |`;
  return [line(header), `|${header.map(() => " --- ").join("|")}|`, ...rows.map(line)];
}

function summary(s: SloReportEntryJson): string[] {
  const { period: p, atPeriodEnd: w } = s;
  const unit = p.errorBudget.unit;
  return table(
    ["", "this period", `own window (${w.window.length}) at its end`],
    [
      ["compliance", percent(p.compliance, 2), percent(w.compliance, 2)],
      ["met", p.met ? "yes" : "**no**", w.met ? "yes" : "**no**"],
      ["good / eligible", `${p.good} / ${p.eligible}`, `${w.good} / ${w.eligible}`],
      [
        "error budget used",
        `${budgetAmount(p.errorBudget.consumed, unit)} of ${budgetAmount(p.errorBudget.total, unit)}`,
        `${budgetAmount(w.errorBudget.consumed, unit)} of ${budgetAmount(w.errorBudget.total, unit)}`,
      ],
      [
        "error budget left",
        percent(p.errorBudget.remainingRatio),
        percent(w.errorBudget.remainingRatio),
      ],
      ["p50 / p95 / p99", percentiles(p.percentiles), percentiles(w.percentiles)],
    ],
  );
}

function percentiles(p: SloReportEntryJson["period"]["percentiles"]): string {
  return `${seconds(p.p50)} / ${seconds(p.p95)} / ${seconds(p.p99)}`;
}

function burns(s: SloReportEntryJson, report: SloReportJson): string[] {
  const out = ["", "### Burn", ""];
  if (s.incidents.length === 0 && s.alerts.length === 0)
    return [...out, "No alert fired during the period."];
  if (s.incidents.length > 0)
    out.push(
      ...table(
        ["from", "to", "opened by", "SLOs", "pages"],
        s.incidents.map((i) => [
          i.from,
          i.to ?? "open at the period's end",
          i.slo === null ? "—" : `${i.slo}/${i.alert ?? ""}`,
          i.slos.join(", "),
          String(i.pages),
        ]),
      ),
      "",
    );
  const rows = alertSummary(s, report).map((a) => [
    a.alert,
    a.severity,
    String(a.firings),
    seconds(a.firingSeconds),
    a.open ? "yes" : "no",
  ]);
  if (rows.length > 0)
    out.push(...table(["alert", "severity", "firings", "time firing", "firing at the end"], rows));
  return out;
}

function attempts(s: SloReportEntryJson): string[] {
  const a = s.attempts;
  if (a === null) return [];
  const out = ["", "### Slowest attempts", ""];
  const o = a.outcomes;
  out.push(
    `${a.started} attempts started: ${o.succeeded} succeeded, ${o.failed} failed, ${o.rolled_back} rolled back, ${o.timed_out} timed out, ${o.cancelled} cancelled, ${o.in_progress} in progress. Served: p50 ${seconds(a.durations.p50)}, p95 ${seconds(a.durations.p95)}, p99 ${seconds(a.durations.p99)}, max ${seconds(a.durations.max)}.`,
    "",
  );
  if (a.slowest.length === 0) return [...out, "No attempt served."];
  out.push(
    ...table(
      ["attempt", "model", "started", "took", "why"],
      a.slowest.map((x) => [
        x.id,
        `${x.model} ${x.version}`,
        x.startedAt,
        seconds(x.durationSeconds),
        x.cause === null
          ? "no stage above its median"
          : `${x.cause.stage} ${seconds(x.cause.seconds)} (median ${seconds(x.cause.typicalSeconds)})`,
      ]),
    ),
  );
  return out;
}

function sloSection(s: SloReportEntryJson, report: SloReportJson): string[] {
  const p = s.period;
  const verdict = p.met ? "met" : "**not met**";
  const out = [
    `## ${inline(s.name)}`,
    "",
    `${p.description === null ? "" : `${sentence(inline(p.description))} `}Threshold ${seconds(p.thresholdSeconds)}, target ${percent(p.target, 2)}, ${p.budgeting} budgeting: ${verdict} this period.`,
    "",
    ...summary(s),
    ...burns(s, report),
    ...attempts(s),
  ];
  if (s.recommendations.length > 0)
    out.push(
      "",
      "### Recommendations",
      "",
      ...s.recommendations.map((r) => `- ${inline(r.message)}`),
    );
  return out;
}

/** The report as Markdown: a section per SLO with tables (GitHub-flavoured). */
export function sloReportMarkdown(report: SloReportJson): string {
  const out = [`# SLO report ${report.period}`, "", periodLine(report)];
  for (const s of report.slos) out.push("", ...sloSection(s, report));
  return `${out.join("\n")}\n`;
}
