import type { SloReportEntryJson, SloReportJson } from "../../contract/slo-report-schema.js";
import { escapeHtml } from "./escape-html.js";
import {
  alertSummary,
  budgetAmount,
  percent,
  periodLine,
  seconds,
  sentence,
} from "./report-text.js";
import { svgLineChart } from "./svg-line-chart.js";

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1b1f24}
h1{font-size:1.6rem}h2{margin-top:2.5rem;border-bottom:1px solid #d0d7de;padding-bottom:.3rem}
table{border-collapse:collapse;margin:.6rem 0}th,td{border:1px solid #d0d7de;padding:.25rem .6rem;text-align:left}
th{background:#f6f8fa}.bad{color:#b42318;font-weight:600}.good{color:#067647}
svg{display:block;margin:.8rem 0;max-width:100%;height:auto}svg .title{font-weight:600;font-size:13px}
svg .tick{font-size:11px;fill:#57606a}svg .axis{stroke:#8c959f}svg .line{stroke:#0969da;stroke-width:2}
svg .dot{fill:#0969da}svg .reference{stroke:#b42318;stroke-dasharray:4 3}`;

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const head = header.map((h) => `<th>${escapeHtml(h)}</th>`).join("");
  const body = rows
    .map((row) => `<tr>${row.map((c) => `<td>${escapeHtml(c)}</td>`).join("")}</tr>`)
    .join("\n");
  return `<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

function summary(s: SloReportEntryJson): string {
  const { period: p, atPeriodEnd: w } = s;
  const unit = p.errorBudget.unit;
  const pct = (x: SloReportEntryJson["period"]["percentiles"]) =>
    `${seconds(x.p50)} / ${seconds(x.p95)} / ${seconds(x.p99)}`;
  return table(
    ["", "this period", `own window (${w.window.length}) at its end`],
    [
      ["compliance", percent(p.compliance, 2), percent(w.compliance, 2)],
      ["met", p.met ? "yes" : "no", w.met ? "yes" : "no"],
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
      ["p50 / p95 / p99", pct(p.percentiles), pct(w.percentiles)],
    ],
  );
}

function charts(s: SloReportEntryJson): string {
  const labels = s.days.map((d) => d.date);
  const budget = svgLineChart({
    title: "Error budget left, month to date",
    labels,
    values: s.days.map((d) => d.budgetRemainingRatio),
    format: (v) => percent(v, 0),
    reference: { value: 0, label: "spent" },
    include: [1],
  });
  const compliance = svgLineChart({
    title: "Compliance per day",
    labels,
    values: s.days.map((d) => d.compliance),
    format: (v) => percent(v, 1),
    reference: { value: s.period.target, label: `target ${percent(s.period.target, 2)}` },
    include: [1],
  });
  const p95 = svgLineChart({
    title: "p95 per day",
    labels,
    values: s.days.map((d) => d.p95),
    format: (v) => seconds(v),
    reference: {
      value: s.period.thresholdSeconds,
      label: `threshold ${seconds(s.period.thresholdSeconds)}`,
    },
    include: [0],
  });
  return `<figure>\n${budget}\n${compliance}\n${p95}\n</figure>`;
}

function burns(s: SloReportEntryJson, report: SloReportJson): string {
  const out = ["<h3>Burn</h3>"];
  if (s.incidents.length === 0 && s.alerts.length === 0)
    return `${out[0]}\n<p>No alert fired during the period.</p>`;
  if (s.incidents.length > 0)
    out.push(
      table(
        ["from", "to", "opened by", "SLOs", "pages"],
        s.incidents.map((i) => [
          i.from,
          i.to ?? "open at the period's end",
          i.slo === null ? "—" : `${i.slo}/${i.alert ?? ""}`,
          i.slos.join(", "),
          String(i.pages),
        ]),
      ),
    );
  const rows = alertSummary(s, report).map((a) => [
    a.alert,
    a.severity,
    String(a.firings),
    seconds(a.firingSeconds),
    a.open ? "yes" : "no",
  ]);
  if (rows.length > 0)
    out.push(table(["alert", "severity", "firings", "time firing", "firing at the end"], rows));
  return out.join("\n");
}

function attempts(s: SloReportEntryJson): string {
  const a = s.attempts;
  if (a === null) return "";
  const o = a.outcomes;
  const line = `${a.started} attempts started: ${o.succeeded} succeeded, ${o.failed} failed, ${o.rolled_back} rolled back, ${o.timed_out} timed out, ${o.cancelled} cancelled, ${o.in_progress} in progress. Served: p50 ${seconds(a.durations.p50)}, p95 ${seconds(a.durations.p95)}, p99 ${seconds(a.durations.p99)}, max ${seconds(a.durations.max)}.`;
  const rows = a.slowest.map((x) => [
    x.id,
    `${x.model} ${x.version}`,
    x.startedAt,
    seconds(x.durationSeconds),
    x.cause === null
      ? "no stage above its median"
      : `${x.cause.stage} ${seconds(x.cause.seconds)} (median ${seconds(x.cause.typicalSeconds)})`,
  ]);
  return [
    "<h3>Slowest attempts</h3>",
    `<p>${escapeHtml(line)}</p>`,
    rows.length === 0
      ? "<p>No attempt served.</p>"
      : table(["attempt", "model", "started", "took", "why"], rows),
  ].join("\n");
}

function sloSection(s: SloReportEntryJson, report: SloReportJson): string {
  const p = s.period;
  const intro = `${p.description === null ? "" : `${sentence(p.description)} `}Threshold ${seconds(p.thresholdSeconds)}, target ${percent(p.target, 2)}, ${p.budgeting} budgeting.`;
  const verdict = p.met
    ? '<p class="good">Met this period.</p>'
    : '<p class="bad">Not met this period.</p>';
  const advice =
    s.recommendations.length === 0
      ? ""
      : `<h3>Recommendations</h3>\n<ul>\n${s.recommendations.map((r) => `<li>${escapeHtml(r.message)}</li>`).join("\n")}\n</ul>`;
  return [
    `<section>\n<h2>${escapeHtml(s.name)}</h2>`,
    `<p>${escapeHtml(intro)}</p>`,
    verdict,
    summary(s),
    charts(s),
    burns(s, report),
    attempts(s),
    advice,
    "</section>",
  ]
    .filter((part) => part !== "")
    .join("\n");
}

/** The report as one self-contained HTML page: inline style and SVG charts, no script. */
export function sloReportHtml(report: SloReportJson): string {
  const title = `SLO report ${report.period}`;
  const intro = periodLine(report);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(intro)}</p>
${report.slos.map((s) => sloSection(s, report)).join("\n")}
</body>
</html>
`;
}
