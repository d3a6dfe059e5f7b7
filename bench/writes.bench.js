// npm run bench:writes: the write path's figures, for this build and (with
// BENCH_COMPARE_WITH=<another checkout, built>) that build, alternating round by round in one run
// so that the machine's noise falls on both alike, each run on a fresh SQLite file:
//   1. single events, one per POST at 500/s (open loop) for BENCH_EVENT_SECONDS after 1 s of
//      warm-up: p50 / p99 / max latency and the server's CPU per event (from /proc);
//   2. batch ingest of attempts with ~7 stages and ~6 dependency samples (NDJSON, 1,000 per
//      request, 2 in flight) after 5,000 attempts of warm-up: attempts/s and CPU per attempt;
//   3. the bytes an attempt with its stages takes in the file: the attempts table and its
//      indexes (SQLite's dbstat) divided by the attempts stored, and the row's own columns.
// Every request goes to 127.0.0.1; every loop is bounded.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { writeHundredSlos } from "./hundred-slos.js";
import { agent, batchBodies, fmt, http, ingest, percentile, startServer } from "./serve-kit.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const EVENT_SECONDS = Number(process.env.BENCH_EVENT_SECONDS ?? 10);
const COUNT = Number(process.env.BENCH_INGEST ?? 20_000);
const COMPARE = process.env.BENCH_COMPARE_WITH;
const RATE = 500;
const DATA = "bench/.data";
mkdirSync(DATA, { recursive: true });
const config = writeHundredSlos(`${DATA}/service-slos-100.yaml`);

const builds = [
  { name: "this build", bin: undefined },
  ...(COMPARE === undefined
    ? []
    : [{ name: `build at ${COMPARE}`, bin: join(COMPARE, "dist/cli/main.js") }]),
];
const batch = batchBodies(COUNT, true);
const warmUp = batchBodies(5_000, true, { idPrefix: "warm-up" });

function freshFile(name) {
  const file = `${DATA}/${name}.db`;
  for (const suffix of ["", "-wal", "-shm"]) rmSync(file + suffix, { force: true });
  return file;
}

/** The i-th single event: every fourth starts an attempt, the three after it measure one sample. */
function event(i) {
  const attemptId = `ev-${i >> 2}`;
  return i % 4 === 0
    ? {
        id: `${attemptId}-s`,
        type: "attempt.started",
        attemptId,
        at: new Date().toISOString(),
        model: "bench",
        version: "1",
        environment: "production",
      }
    : {
        id: `${attemptId}-${i}`,
        type: "dependency.measured",
        attemptId,
        name: "registry_pull",
        seconds: 1.5,
      };
}

async function singleEvents(build) {
  const file = freshFile("writes-events");
  return { ...(await eventStream(build, file)), bytes: eventBytes(file) };
}

async function eventStream(build, file) {
  const server = await startServer(file, config, [], build.bin);
  try {
    const warm = RATE;
    const total = RATE * (EVENT_SECONDS + 1);
    const latencies = [];
    const pending = [];
    let cpu0 = 0;
    const t0 = performance.now();
    for (let i = 0; i < total; i++) {
      const wait = t0 + (i * 1000) / RATE - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      if (i === warm) cpu0 = server.cpuMs();
      pending.push(
        http(
          "POST",
          `${server.url}/api/v1/events`,
          JSON.stringify(event(i)),
          "application/json",
        ).then((r) => {
          if (r.status !== 200) throw new Error(`event answered ${r.status}: ${r.body}`);
          if (i >= warm) latencies.push(r.ms);
        }),
      );
    }
    await Promise.all(pending);
    const cpu = server.cpuMs() - cpu0;
    latencies.sort((a, b) => a - b);
    return {
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: latencies.at(-1),
      cpuPerEvent: cpu / latencies.length,
    };
  } finally {
    await server.stop();
  }
}

/** Bytes of the events table and its indexes per stored event, and of its body column. */
function eventBytes(file) {
  const db = new Database(file, { readonly: true });
  try {
    const { n, body } = db
      .prepare("select count(*) as n, avg(length(body)) as body from events")
      .get();
    const { bytes } = db
      .prepare(
        "select sum(pgsize) as bytes from dbstat where name = 'events' or name in (select name from sqlite_master where tbl_name = 'events' and type = 'index')",
      )
      .get();
    return { file: bytes / n, body };
  } finally {
    db.close();
  }
}

/** Bytes of the attempts table and its indexes per stored attempt, and of the row's columns. */
function attemptBytes(file) {
  const db = new Database(file, { readonly: true });
  try {
    const count = db.prepare("select count(*) as n from attempts").get().n;
    const pages = db
      .prepare(
        "select sum(pgsize) as bytes from dbstat where name = 'attempts' or name in (select name from sqlite_master where tbl_name = 'attempts' and type = 'index')",
      )
      .get().bytes;
    const columns = db
      .prepare(
        "select avg(length(id) + length(model) + length(version) + length(environment) + length(labels) + length(outcome) + length(stages) + length(dependencies) + length(attributes) + 40) as bytes, avg(length(stages)) as stages, avg(length(dependencies)) as deps from attempts",
      )
      .get();
    return { file: pages / count, row: columns.bytes, stages: columns.stages, deps: columns.deps };
  } finally {
    db.close();
  }
}

async function batchIngest(build) {
  const file = freshFile("writes-batch");
  const server = await startServer(file, config, [], build.bin);
  let result;
  try {
    await ingest(server.url, warmUp, 2);
    const cpu0 = server.cpuMs();
    const sent = await ingest(server.url, batch, 2);
    result = { rate: sent.sent / sent.seconds, cpuPerAttempt: (server.cpuMs() - cpu0) / sent.sent };
  } finally {
    await server.stop();
  }
  return { ...result, bytes: attemptBytes(file) };
}

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
const results = new Map(builds.map((build) => [build, { events: [], batch: [] }]));
for (let round = 1; round <= ROUNDS; round++) {
  for (const build of builds) {
    const events = await singleEvents(build);
    const ingested = await batchIngest(build);
    results.get(build).events.push(events);
    results.get(build).batch.push(ingested);
    console.error(
      `[round ${round}] ${build.name}: events p50 ${fmt(events.p50, 1)} p99 ${fmt(events.p99, 1)} max ${fmt(events.max, 1)} ms, ${fmt(events.cpuPerEvent * 1000)} µs CPU/event; batch ${fmt(ingested.rate)} attempts/s, ${fmt(ingested.cpuPerAttempt * 1000)} µs CPU/attempt, ${fmt(ingested.bytes.file)} B/attempt in the file, ${fmt(events.bytes.file)} B/event`,
    );
  }
}

const rowsEvents = [];
const rows = builds.map((build) => {
  const { events, batch: runs } = results.get(build);
  const list = (values, d = 0) => values.map((v) => fmt(v, d)).join(", ");
  const bytes = runs[0].bytes;
  rowsEvents.push(
    `| ${build.name} | ${fmt(events[0].bytes.file)} B | ${fmt(events[0].bytes.body)} B |`,
  );
  return `| ${build.name} | ${list(
    events.map((e) => e.p50),
    1,
  )} | ${list(
    events.map((e) => e.p99),
    1,
  )} | ${list(
    events.map((e) => e.max),
    1,
  )} | **${fmt(median(events.map((e) => e.cpuPerEvent)) * 1000)} µs** | ${list(runs.map((r) => r.rate))} | **${fmt(median(runs.map((r) => r.rate)))} /s** | ${fmt(median(runs.map((r) => r.cpuPerAttempt)) * 1000)} µs | ${fmt(bytes.file)} B (row ${fmt(bytes.row)} B: stages ${fmt(bytes.stages)}, samples ${fmt(bytes.deps)}) |`;
});
const ratio = (pick) => {
  if (builds.length < 2) return "";
  const [now, before] = builds.map((build) => median(pick(results.get(build))));
  return fmt(now / before, 2);
};
const text = [
  `Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC on ${cpus().length} × ${cpus()[0]?.model} (${availableParallelism()} usable), ${Math.round(totalmem() / 2 ** 30)} GiB, Node.js ${process.version}; load average ${loadavg()[0].toFixed(1)} at the end. SQLite, ${ROUNDS} rounds alternating, each run on a fresh file. Single events: one per POST at ${RATE}/s for ${EVENT_SECONDS} s after 1 s of warm-up. Batch: ${fmt(batch.count)} attempts with ~7 stages and ~6 dependency samples, 1,000 per request, 2 in flight, after 5,000 of warm-up.`,
  "",
  "| server | single events p50 (each round) | p99 | max | server CPU per event (median) | batch ingest, attempts/s (each round) | median | server CPU per attempt | bytes per attempt in the file (table + indexes) |",
  "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ...rows,
  "",
  "| server | bytes per single event in the file (events table + indexes) | its body column |",
  "| --- | --- | --- |",
  ...rowsEvents,
  "",
  ...(builds.length < 2
    ? []
    : [
        `This build against the other: CPU per event ${ratio((r) => r.events.map((e) => e.cpuPerEvent))}×, batch ingest ${ratio((r) => r.batch.map((b) => b.rate))}×, bytes per attempt ${ratio((r) => r.batch.map((b) => b.bytes.file))}×.`,
        "",
      ]),
].join("\n");
writeFileSync(`${DATA}/writes.md`, text);
console.log(text);
agent.destroy();
