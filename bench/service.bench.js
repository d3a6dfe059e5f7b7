// npm run bench:service: the service's ingest and query figures on SQLite and PostgreSQL, side by
// side in one run. Every request goes to 127.0.0.1; every loop is bounded.
//   1. batch ingest: POST /api/v1/attempts, NDJSON batches of 1,000 attempts with stages
//   2. single-event ingest: one event per POST at a fixed 500 requests/s (open loop), latency
//   3. GET /api/v1/slos with 100 SLOs over N stored attempts (default 1,000,000), server memory
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { writeHundredSlos } from "./hundred-slos.js";
import {
  agent,
  batchBodies,
  fmt,
  freshPostgres,
  http,
  ingest,
  percentile,
  startServer,
} from "./serve-kit.js";

const STORED = Number(process.env.BENCH_STORED ?? 1_000_000);
const INGEST = Number(process.env.BENCH_INGEST ?? 50_000);
const EVENT_SECONDS = Number(process.env.BENCH_EVENT_SECONDS ?? 10);
const DATA = "bench/.data";
mkdirSync(DATA, { recursive: true });

function sloFile() {
  return writeHundredSlos(`${DATA}/service-slos-100.yaml`);
}

// The first second is not counted: a fresh server's first events wait for the JIT and for
// statements to be prepared (about 200 of them took 20–200 ms), and at 500/s they queue.
const WARM_UP_SECONDS = 1;

async function singleEvents(url) {
  const latencies = [];
  const rate = 500;
  const warmUp = rate * WARM_UP_SECONDS;
  const total = rate * (EVENT_SECONDS + WARM_UP_SECONDS);
  const t0 = performance.now();
  const pending = [];
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const attemptId = `bench-ev-${Date.now()}-${i >> 2}`;
    const event =
      i % 4 === 0
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
    pending.push(
      http("POST", `${url}/api/v1/events`, JSON.stringify(event), "application/json").then((r) => {
        if (r.status !== 200) throw new Error(`event answered ${r.status}: ${r.body}`);
        if (i >= warmUp) latencies.push(r.ms);
      }),
    );
  }
  await Promise.all(pending);
  latencies.sort((a, b) => a - b);
  return {
    count: latencies.length,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1],
  };
}

async function query(url) {
  const times = [];
  for (let i = 0; i < 10; i++) {
    const r = await http("GET", `${url}/api/v1/slos`);
    if (r.status !== 200) throw new Error(`GET /api/v1/slos answered ${r.status}`);
    times.push(r.ms);
  }
  times.sort((a, b) => a - b);
  return { median: times[5], max: times[9], min: times[0] };
}

const config = sloFile();
const results = {};
for (const dialect of ["sqlite", "postgres"]) {
  const db =
    dialect === "sqlite"
      ? {
          location: `${DATA}/service-bench.db`,
          drop: async () => rmSync(`${DATA}/service-bench.db`, { force: true }),
        }
      : await freshPostgres();
  if (dialect === "sqlite") await db.drop();
  const database = db;
  if (dialect === "sqlite") rmSync(`${DATA}/service-bench.db-wal`, { force: true });
  const server = await startServer(database.location, config);
  console.error(`[${dialect}] batch ingest of ${INGEST} attempts with stages …`);
  // Histories end now, so the SLO windows (7 to 90 days back from now) are full.
  const batch = await ingest(server.url, batchBodies(INGEST, true, { idPrefix: "staged" }));
  console.error(`[${dialect}] single events at 500/s for ${EVENT_SECONDS}s …`);
  const events = await singleEvents(server.url);
  console.error(`[${dialect}] loading ${STORED} plain attempts …`);
  const load = await ingest(server.url, batchBodies(STORED, false, { idPrefix: "plain" }));
  const q = await query(server.url);
  const memory = server.rssMb();
  await server.stop();
  // A restart reads every stored attempt back: the replica start-up cost.
  const t0 = performance.now();
  const again = await startServer(database.location, config);
  const startup = (performance.now() - t0) / 1000;
  const q2 = await query(again.url);
  await again.stop();
  await db.drop();
  results[dialect] = { batch, events, load, q, memory, startup, q2 };
  console.error(JSON.stringify(results[dialect]));
}

const s = results.sqlite;
const p = results.postgres;
const lines = [
  `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} × ${cpus()[0]?.model}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node.js ${process.version}; server and load generator on the same machine over 127.0.0.1.`,
  "",
  "| figure | SQLite (embedded) | PostgreSQL 15 | goal |",
  "| --- | --- | --- | --- |",
  `| batch ingest from a cold start, attempts with ~7 stages (NDJSON, 1,000 per request, 2 in flight) | ${fmt(s.batch.sent / s.batch.seconds)} /s | ${fmt(p.batch.sent / p.batch.seconds)} /s | ≥ 20,000 /s (SQLite) |`,
  `| single-event ingest at 500 events/s after 1 s of warm-up: p50 / p99 / max latency | ${fmt(s.events.p50, 1)} / ${fmt(s.events.p99, 1)} / ${fmt(s.events.max, 1)} ms | ${fmt(p.events.p50, 1)} / ${fmt(p.events.p99, 1)} / ${fmt(p.events.max, 1)} ms | p99 < 10 ms |`,
  `| bulk load of ${fmt(STORED)} plain attempts | ${fmt(s.load.sent / s.load.seconds)} /s | ${fmt(p.load.sent / p.load.seconds)} /s | |`,
  `| GET /api/v1/slos, 100 SLOs over ${fmt(STORED + INGEST)} attempts: median / max of 10 | ${fmt(s.q.median)} / ${fmt(s.q.max)} ms | ${fmt(p.q.median)} / ${fmt(p.q.max)} ms | < 100 ms |`,
  `| server memory after the load (RSS / peak) | ${fmt(s.memory.rss)} / ${fmt(s.memory.peak)} MB | ${fmt(p.memory.rss)} / ${fmt(p.memory.peak)} MB | < 500 MB |`,
  `| restart: read every stored attempt back, until listening | ${fmt(s.startup, 1)} s | ${fmt(p.startup, 1)} s | |`,
  "",
];
const text = lines.join("\n");
writeFileSync(`${DATA}/service.md`, text);
console.log(text);
agent.destroy();
