// npm run bench: evaluate N SLOs over 1,000,000 attempt records from NDJSON, against the floor of
// merely reading and JSON.parse-ing the same file, measured alternately in the same run.
// Prints a Markdown section for docs/benchmarks.md (also written to bench/.data/evaluate.md).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { argv } from "node:process";

const COUNT = Number(process.env.BENCH_RECORDS ?? 1_000_000);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const DATA = "bench/.data";
// The generated histories start 2026-01-01 and reach 1,000,000 records early in February 2027.
const AT = process.env.BENCH_AT ?? "2027-02-05T00:00:00Z";
mkdirSync(DATA, { recursive: true });

function generate(name, extra) {
  const file = `${DATA}/${name}-${COUNT}.ndjson`;
  if (!existsSync(file)) {
    console.error(`generating ${file} …`);
    execFileSync(
      process.execPath,
      [
        "bench/dist/bench/lib/write-history.js",
        "--seed",
        "7",
        "--start",
        "2026-01-01T00:00:00Z",
        "--days",
        "500",
        "--count",
        String(COUNT),
        ...extra,
        "--out",
        file,
      ],
      { stdio: "inherit" },
    );
  }
  return file;
}

const MODELS = ["fraud-*", "churn-*", "llm-*", "image-*", "*"];
function sloFile(count) {
  const docs = [];
  for (let i = 0; i < count; i++) {
    const calendar = i % 3 === 2;
    docs.push(
      [
        "apiVersion: deployslo/v1",
        "kind: SLO",
        `metadata: {name: slo-${i}}`,
        "spec:",
        `  selector: {model: "${MODELS[i % MODELS.length]}"${i % 2 === 0 ? ", environment: production" : ""}}`,
        `  objective: {threshold: ${3 + (i % 7)}m, target: ${i % 4 === 0 ? "99.9%" : "95%"}}`,
        `  budgeting: ${i % 2 === 0 ? "occurrences" : "excess-time"}`,
        `  window: ${calendar ? "{calendar: month}" : `${[7, 30, 400][i % 3]}d`}`,
      ].join("\n"),
    );
  }
  const file = `${DATA}/slos-${count}.yaml`;
  writeFileSync(file, `${docs.join("\n---\n")}\n`);
  return file;
}

function run(...args) {
  const out = execFileSync(
    process.execPath,
    ["--max-old-space-size=4096", "bench/evaluate-worker.js", ...args],
    { encoding: "utf8" },
  );
  return JSON.parse(out);
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fmt = (n) => Math.round(n).toLocaleString("en-US");

const plain = generate("plain", ["--plain"]);
const staged = generate("stages", []);
const slos10 = sloFile(10);

const rows = [];
for (const [label, file] of [
  ["plain records", plain],
  ["records with stages and dependencies", staged],
]) {
  const floorMs = [];
  const evalMs = [];
  const floorCpu = [];
  const evalCpu = [];
  let evalRss = 0;
  let floorRss = 0;
  for (let r = 0; r < REPEATS; r++) {
    const f = run("floor", file);
    const e = run("evaluate", file, slos10, AT);
    floorMs.push(f.ms);
    evalMs.push(e.ms);
    floorCpu.push(f.cpuMs);
    evalCpu.push(e.cpuMs);
    floorRss = Math.max(floorRss, f.maxRssMb);
    evalRss = Math.max(evalRss, e.maxRssMb);
    if (e.records !== COUNT || f.records !== COUNT)
      throw new Error(`expected ${COUNT} records, got ${e.records}/${f.records}`);
  }
  const floorRate = (COUNT / median(floorMs)) * 1000;
  const evalRate = (COUNT / median(evalMs)) * 1000;
  rows.push({
    label,
    bytes: statSync(file).size,
    floorRate,
    evalRate,
    ratio: evalRate / floorRate,
    cpuRatio: median(floorCpu) / median(evalCpu),
    floorRss,
    evalRss,
  });
}

const memory = [];
for (const n of [1, 10, 50]) {
  const file = sloFile(n);
  const e = run("evaluate", plain, file, AT);
  memory.push({ n, rss: e.maxRssMb, ms: e.ms });
}

const cpu = cpus()[0]?.model ?? "unknown CPU";
const lines = [
  `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node.js ${process.version}; median of ${REPEATS} alternating runs, each in its own process.`,
  "",
  "| input (1,000,000 records, 10 SLOs) | file size | floor: read + JSON.parse | `evaluate` end to end | ratio (wall) | ratio (CPU time) | peak RSS floor / evaluate |",
  "| --- | --- | --- | --- | --- | --- | --- |",
  ...rows.map(
    (r) =>
      `| ${r.label} | ${fmt(r.bytes / 2 ** 20)} MiB | ${fmt(r.floorRate)} records/s | ${fmt(r.evalRate)} records/s | ${(r.ratio * 100).toFixed(0)}% | ${(r.cpuRatio * 100).toFixed(0)}% | ${fmt(r.floorRss)} MB / ${fmt(r.evalRss)} MB |`,
  ),
  "",
  "| SLOs evaluated over the plain records | peak RSS | wall time |",
  "| --- | --- | --- |",
  ...memory.map((m) => `| ${m.n} | ${fmt(m.rss)} MB | ${(m.ms / 1000).toFixed(2)} s |`),
  "",
];
const text = lines.join("\n");
writeFileSync(`${DATA}/evaluate.md`, text);
console.log(text);
if (argv.includes("--check") && rows[0].ratio < 0.5) {
  console.error(
    `end-to-end rate is ${(rows[0].ratio * 100).toFixed(0)}% of the floor, below the 50% goal`,
  );
  process.exit(1);
}
