// npm run bench:scale: the service at a large company's scale. Ten million stored attempts
// (BENCH_SCALE_COUNT) over three years and 1,000 SLOs with 7, 30, 90, 400-day and calendar-month
// windows (bench/scale-data.js), generated and loaded once into bench/.data and reused. For each
// build (this one, and with BENCH_COMPARE_WITH=<checkout> the build there, side by side on a copy
// of the same data) it measures: time until the server is serving after a (re)start, resident
// memory, GET /api/v1/slos latency, and the CPU of alert rounds. BENCH_SCALE_POSTGRES=1 runs
// this build against PostgreSQL too (loaded once into the schema bench_scale_<count>).
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import pg from "pg";
import { ensureScaleData, scaleSlos } from "./scale-data.js";
import { fmt, http, POSTGRES, percentile, startServer } from "./serve-kit.js";

const COUNT = Number(process.env.BENCH_SCALE_COUNT ?? 10_000_000);
const DAYS = Number(process.env.BENCH_SCALE_DAYS ?? 1095);
const STATUS_REQUESTS = 40;
const ALERT_INTERVAL_S = 10;
const IDLE_WINDOW_MS = 60_000;
const DATA = "bench/.data";
mkdirSync(DATA, { recursive: true });
const log = (line) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);

const config = `${DATA}/scale-slos.yaml`;
writeFileSync(config, scaleSlos());
const database = `${DATA}/scale-${COUNT}.sqlite`;
const end = await ensureScaleData(database, `${DATA}/scale-${COUNT}.json`, COUNT, DAYS, log);

async function postgresLocation() {
  const schema = `bench_scale_${COUNT}`;
  const client = new pg.Client({ connectionString: POSTGRES });
  await client.connect();
  await client.query(`create schema if not exists ${schema}`);
  await client.end();
  const url = new URL(POSTGRES);
  url.searchParams.set("options", `-c search_path=${schema}`);
  const location = url.toString();
  await ensureScaleData(location, `${DATA}/scale-${COUNT}-postgres.json`, COUNT, DAYS, log);
  return location;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** One server over `location`: start, memory, status latency, alert-round CPU. */
async function measure(name, location, bin) {
  log(`${name}: starting`);
  const t0 = performance.now();
  const server = await startServer(
    location,
    config,
    ["--alert-interval", `${ALERT_INTERVAL_S}s`, "--log-level", "error"],
    bin,
  );
  const readyS = (performance.now() - t0) / 1000;
  const afterStart = server.rssMb();
  log(`${name}: serving after ${readyS.toFixed(1)} s, ${afterStart.rss.toFixed(0)} MB`);
  const times = [];
  let slos = 0;
  for (let i = 0; i < STATUS_REQUESTS; i++) {
    const r = await http("GET", `${server.url}/api/v1/slos`);
    if (r.status !== 200) throw new Error(`status answered ${r.status}: ${r.body.slice(0, 200)}`);
    if (i === 0) slos = JSON.parse(r.body).slos.length;
    times.push(r.ms);
  }
  times.sort((a, b) => a - b);
  // Alert rounds every ALERT_INTERVAL_S: the first ones (which build what later rounds reuse) are
  // over by now; measure the server's CPU over an idle window and divide by the rounds in it.
  await sleep(2 * ALERT_INTERVAL_S * 1000);
  const cpu0 = server.cpuMs();
  await sleep(IDLE_WINDOW_MS);
  const cpuPerRound = (server.cpuMs() - cpu0) / (IDLE_WINDOW_MS / (ALERT_INTERVAL_S * 1000));
  const memory = server.rssMb();
  await server.stop();
  return {
    name,
    readyS,
    slos,
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    max: times.at(-1),
    cpuPerRound,
    rss: memory.rss,
    peak: memory.peak,
  };
}

const runs = [];
const compare = process.env.BENCH_COMPARE_WITH;
if (compare !== undefined) {
  // The build before has no migration of this one: it gets its own copy of the data.
  const copy = `${DATA}/scale-${COUNT}-before.sqlite`;
  if (!existsSync(copy)) copyFileSync(database, copy);
  runs.push(await measure("before", copy, `${compare}/dist/cli/main.js`));
}
runs.push(await measure("this build", database, "dist/cli/main.js"));
if (process.env.BENCH_SCALE_POSTGRES === "1") {
  runs.push(await measure("this build, PostgreSQL", await postgresLocation(), "dist/cli/main.js"));
}

console.log(
  `machine: ${cpus().length} × ${cpus()[0]?.model}; node ${process.version}; ${new Date().toISOString().slice(0, 16)}Z; load average ${loadavg()[0].toFixed(1)}`,
);
console.log(
  `${COUNT.toLocaleString("en")} stored attempts over ${DAYS} days (history ends ${new Date(end).toISOString().slice(0, 10)}), 1,000 SLOs`,
);
console.log("");
console.log(
  "| server | serving after a start | GET /api/v1/slos p50 / p99 / max | CPU per alert round | RSS / peak |",
);
console.log("| --- | --- | --- | --- | --- |");
for (const r of runs) {
  console.log(
    `| ${r.name} | ${fmt(r.readyS, 1)} s | ${fmt(r.p50, 1)} / ${fmt(r.p99, 1)} / ${fmt(r.max, 1)} ms (${r.slos} SLOs) | ${fmt(r.cpuPerRound)} ms | ${fmt(r.rss)} / ${fmt(r.peak)} MB |`,
  );
}
