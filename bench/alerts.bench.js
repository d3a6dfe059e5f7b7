// npm run bench:alerts: the alert-quality benchmark. Seeded 90-day deployment streams (sparse
// ≈3/day, busy 200/day and weekly release trains: healthy, sustained, partial and stalled
// regressions then recovery, SLO twins, slow drift) judged by deployslo's default alerting, by
// the same rules without hysteresis and incidents (the defaults before them) and by the plain
// Workbook rules, side by side, against the quality goals of docs/alerting.md. Behaviour, not
// speed: the figures are the same on every machine. Prints a Markdown section for
// docs/alerting.md (also bench/.data/alerts.md).
import { mkdirSync, writeFileSync } from "node:fs";
import { measureAlertQuality, POLICIES, scenariosFor } from "./dist/bench/lib/alert-quality.js";
import { simulateStream } from "./dist/bench/lib/simulate-stream.js";

const SEEDS = (process.env.BENCH_SEEDS ?? "42,7,1234").split(",").map(Number);
const TARGETS = (process.env.BENCH_TARGETS ?? "95%,99%,90%").split(",");
const START = Date.UTC(2026, 0, 1);
const HOUR = 3_600_000;
/** The replay's grid: detection may differ from the previous defaults by one step. */
const STEP = 60_000;

const hours = (ms) =>
  ms === null ? "—" : ms === Number.POSITIVE_INFINITY ? "never" : `${(ms / HOUR).toFixed(2)}h`;
const days = (ms) => (ms === null ? "—" : `day ${(ms / 86_400_000).toFixed(1)}`);

function verdict(q, before) {
  const problems = [];
  const incident = q.incidentPages !== null;
  const falsePages = incident ? q.pages - q.incidentPages : q.pages;
  if (q.scenario.includes("healthy") && q.pages > 0) problems.push("paged");
  else if (incident && falsePages > 0) problems.push("false page");
  if (q.policy === "deployslo" && incident && q.incidentPages > 1) problems.push("paged again");
  if (incident && q.detectionMs === null) problems.push("no page");
  if (q.detectionGoalMs !== null && q.detectionMs !== null && q.detectionMs > q.detectionGoalMs)
    problems.push("late page");
  if (
    before !== undefined &&
    q.detectionMs !== null &&
    before.detectionMs !== null &&
    q.detectionMs > before.detectionMs + STEP
  )
    problems.push("slower than before");
  if (q.resolveGoalMs !== null && q.resolveMs !== null && q.resolveMs > q.resolveGoalMs)
    problems.push("slow resolve");
  if (q.exhaustedMs !== null && (q.firstTicketMs === null || q.firstTicketMs > q.exhaustedMs))
    problems.push("no ticket in time");
  return problems.length === 0 ? "met" : `**missed**: ${problems.join(", ")}`;
}

const lines = [];
let missed = 0;
let worstIncident = 0;
lines.push(
  "| target | seed | stream | attempts | policy | pages | per incident | false pages | tickets | detection (goal) | resolve (goal) | budget out / first ticket | goals |",
);
lines.push("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
for (const target of TARGETS) {
  for (const seed of SEEDS) {
    for (const scenario of scenariosFor(target)) {
      const stream = simulateStream(scenario, seed, START);
      const runs = new Map(POLICIES.map((p) => [p, measureAlertQuality(stream, p, target)]));
      for (const [policy, q] of runs) {
        const v = verdict(q, policy === "deployslo" ? runs.get("previous") : undefined);
        if (policy === "deployslo" && v !== "met") missed++;
        if (policy === "deployslo") worstIncident = Math.max(worstIncident, q.incidentPages ?? 0);
        const detection =
          q.incidentPages === null
            ? "—"
            : `${hours(q.detectionMs)} (${q.detectionGoalMs === null ? "as before" : hours(q.detectionGoalMs)})`;
        const resolve =
          q.resolveGoalMs === null ? "—" : `${hours(q.resolveMs)} (${hours(q.resolveGoalMs)})`;
        const drift =
          q.exhaustedMs === null ? "—" : `${days(q.exhaustedMs)} / ${days(q.firstTicketMs)}`;
        const falsePages = q.incidentPages === null ? q.pages : q.pages - q.incidentPages;
        lines.push(
          `| ${target} | ${seed} | ${scenario.name} | ${q.attempts} | ${policy} | ${q.pages} | ${q.incidentPages ?? "—"} | ${falsePages} | ${q.tickets} | ${detection} | ${resolve} | ${drift} | ${v} |`,
        );
      }
    }
  }
}
const out = `${lines.join("\n")}\n\nGoals missed by the default policy: ${missed}. Most pages for one incident with the defaults: ${worstIncident}.\n`;
mkdirSync("bench/.data", { recursive: true });
writeFileSync("bench/.data/alerts.md", out);
process.stdout.write(out);
