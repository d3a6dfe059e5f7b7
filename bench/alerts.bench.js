// npm run bench:alerts: the alert-quality benchmark. Seeded 90-day deployment streams (sparse
// ≈3/day and busy 200/day: healthy, sustained regression then recovery, slow drift) judged by
// deployslo's default alerting and by the plain Workbook rules, side by side, against the
// quality goals of docs/alerting.md. Behaviour, not speed: the figures are the same on every
// machine. Prints a Markdown section for docs/alerting.md (also bench/.data/alerts.md).
import { mkdirSync, writeFileSync } from "node:fs";
import { measureAlertQuality, scenariosFor } from "./dist/bench/lib/alert-quality.js";
import { simulateStream } from "./dist/bench/lib/simulate-stream.js";

const SEEDS = (process.env.BENCH_SEEDS ?? "42,7,1234").split(",").map(Number);
const TARGETS = (process.env.BENCH_TARGETS ?? "95%,99%,90%").split(",");
const START = Date.UTC(2026, 0, 1);
const HOUR = 3_600_000;

const hours = (ms) =>
  ms === null ? "—" : ms === Number.POSITIVE_INFINITY ? "never" : `${(ms / HOUR).toFixed(2)}h`;
const days = (ms) => (ms === null ? "—" : `day ${(ms / 86_400_000).toFixed(1)}`);

function verdict(q) {
  const problems = [];
  if (q.scenario.startsWith("healthy") && q.pages > 0) problems.push("paged");
  if (q.detectionGoalMs !== null && (q.detectionMs === null || q.detectionMs > q.detectionGoalMs))
    problems.push("late page");
  if (q.resolveGoalMs !== null && (q.resolveMs === null || q.resolveMs > q.resolveGoalMs))
    problems.push("slow resolve");
  if (q.exhaustedMs !== null && (q.firstTicketMs === null || q.firstTicketMs > q.exhaustedMs))
    problems.push("no ticket in time");
  return problems.length === 0 ? "met" : `**missed**: ${problems.join(", ")}`;
}

const lines = [];
let missed = 0;
lines.push(
  "| target | seed | stream | attempts | policy | pages | tickets | detection (goal) | resolve (goal) | budget out / first ticket | goals |",
);
lines.push("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
for (const target of TARGETS) {
  for (const seed of SEEDS) {
    for (const scenario of scenariosFor(target)) {
      const stream = simulateStream(scenario, seed, START);
      for (const policy of ["deployslo", "workbook"]) {
        const q = measureAlertQuality(stream, policy, target);
        const v = verdict(q);
        if (policy === "deployslo" && v !== "met") missed++;
        const detection =
          q.detectionGoalMs === null
            ? "—"
            : `${hours(q.detectionMs)} (${hours(q.detectionGoalMs)})`;
        const resolve =
          q.resolveGoalMs === null ? "—" : `${hours(q.resolveMs)} (${hours(q.resolveGoalMs)})`;
        const drift =
          q.exhaustedMs === null ? "—" : `${days(q.exhaustedMs)} / ${days(q.firstTicketMs)}`;
        lines.push(
          `| ${target} | ${seed} | ${scenario.name} | ${q.attempts} | ${policy} | ${q.pages} | ${q.tickets} | ${detection} | ${resolve} | ${drift} | ${v} |`,
        );
      }
    }
  }
}
const out = `${lines.join("\n")}\n\nGoals missed by the default policy: ${missed}.\n`;
mkdirSync("bench/.data", { recursive: true });
writeFileSync("bench/.data/alerts.md", out);
process.stdout.write(out);
