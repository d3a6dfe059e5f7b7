// In-process cost of one status of 100 SLOs over N attempts (default 1,000,000), evaluated by a
// plain scan of each window and with the per-SLO bucket aggregates the service keeps, side by
// side in one run, checking both give identical results. See docs/benchmarks.md.
import { mkdirSync } from "node:fs";
import { cpus } from "node:os";
import { isDeepStrictEqual } from "node:util";
import { writeHundredSlos } from "./hundred-slos.js";

const COUNT = Number(process.env.BENCH_STORED ?? 1_000_000);
const REPEAT = 10;
const DATA = "bench/.data";
mkdirSync(DATA, { recursive: true });

const { generateHistory } = await import("../dist/sample/generate-history.js");
const { parseAttemptRecord } = await import("../dist/core/attempt/parse-attempt-record.js");
const { AttemptTables } = await import("../dist/core/evaluation/attempt-tables.js");
const { evaluateSlos } = await import("../dist/core/evaluation/evaluate-slos.js");
const { loadSloSpecs } = await import("../dist/config/load-slo-specs.js");

const { slos } = await loadSloSpecs([writeHundredSlos(`${DATA}/status-slos-100.yaml`)]);
const now = Date.now();
const plain = AttemptTables.forSlos(slos);
const bucketed = AttemptTables.forSlos(slos, { bucketMs: 86_400_000 });
const days = COUNT / 2500;
let added = 0;
for (const record of generateHistory({
  seed: 11,
  start: now - days * 86_400_000,
  days,
  attemptsPerDay: 2500,
  withStages: false,
})) {
  const parsed = parseAttemptRecord(record);
  if (!parsed.ok) throw new Error(`generated record is invalid: ${JSON.stringify(parsed)}`);
  plain.add(parsed.attempt);
  bucketed.add(parsed.attempt);
  if (++added === COUNT) break;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function time(tables, at) {
  const t0 = performance.now();
  const result = evaluateSlos(slos, tables, at);
  return { ms: performance.now() - t0, result };
}

// Requests a few seconds apart, as a dashboard polling the service makes them.
const instants = Array.from({ length: REPEAT }, (_, i) => now + 1000 + i * 5000);
const first = time(bucketed, now);
const plainMs = [];
const bucketMs = [];
let equal = isDeepStrictEqual(first.result, evaluateSlos(slos, plain, now));
for (const at of instants) {
  const a = time(plain, at);
  const b = time(bucketed, at);
  plainMs.push(a.ms);
  bucketMs.push(b.ms);
  equal &&= isDeepStrictEqual(a.result, b.result);
}
// A chart's history: the busiest SLO (every model, 90 days) at 200 points over its window.
const { evaluateSlo } = await import("../dist/core/evaluation/evaluate-slo.js");
const busiest = slos[4];
const points = Array.from({ length: 200 }, (_, i) => now - 90 * 86_400_000 + (i + 1) * 38_880_000);
const history = (tables) => {
  const t0 = performance.now();
  const statuses = points.map((at) => evaluateSlo(busiest, tables, at));
  return { ms: performance.now() - t0, statuses };
};
const historyPlain = history(plain);
const historyBuckets = history(bucketed);
equal &&= isDeepStrictEqual(historyPlain.statuses, historyBuckets.statuses);
if (!equal) throw new Error("bucket aggregates and the plain scan disagree");
const fmt = (x) => x.toFixed(1);
console.log(
  `machine: ${cpus().length} × ${cpus()[0]?.model}; node ${process.version}; ${new Date().toISOString().slice(0, 10)}`,
);
console.log(
  `| status of 100 SLOs over ${COUNT.toLocaleString("en")} attempts | plain scan | bucket aggregates |`,
);
console.log("| --- | --- | --- |");
console.log(`| first evaluation (builds the buckets) | — | ${fmt(first.ms)} ms |`);
console.log(
  `| later evaluations, median / max of ${REPEAT} | ${fmt(median(plainMs))} / ${fmt(Math.max(...plainMs))} ms | ${fmt(median(bucketMs))} / ${fmt(Math.max(...bucketMs))} ms |`,
);
console.log(`| ratio (plain / buckets, median) | ${fmt(median(plainMs) / median(bucketMs))}× | |`);
console.log(
  `| history of ${busiest.name} (every model, 90 days) at 200 points | ${fmt(historyPlain.ms)} ms | ${fmt(historyBuckets.ms)} ms |`,
);
console.log("identical results: yes");
