// npm run bench:ingest: batch ingest of attempts with their stages, decoding on worker threads
// (the default) against decoding on the event loop (--ingest-workers 0), alternating, each run
// on a fresh database after a warm-up, in one process so that the machine's noise falls on both alike. Also:
// single events sent during a batch ingest (how long the event loop is held), and PostgreSQL.
// With BENCH_COMPARE_WITH=<another checkout, built>, that build's server runs too.
// Every request goes to 127.0.0.1; every loop is bounded.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";
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

const COUNT = Number(process.env.BENCH_INGEST ?? 50_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const COMPARE = process.env.BENCH_COMPARE_WITH;
const DATA = "bench/.data";
mkdirSync(DATA, { recursive: true });
const config = writeHundredSlos(`${DATA}/service-slos-100.yaml`);
const { defaultIngestWorkers } = await import("../dist/ingest/attempt-batch-decoder.js");
const WORKERS = defaultIngestWorkers();

const modes = [
  { name: "event loop (--ingest-workers 0)", args: ["--ingest-workers", "0"] },
  { name: `worker threads (default: ${WORKERS})`, args: [] },
  ...(COMPARE === undefined
    ? []
    : [{ name: `build at ${COMPARE}`, args: [], bin: join(COMPARE, "dist/cli/main.js") }]),
];

const batch = batchBodies(COUNT, true);
// Every server first ingests 5,000 other attempts: the figures are of a service that has run a
// while (its code optimised by the JIT), not of its first seconds.
const warmUp = batchBodies(5_000, true, { idPrefix: "warm-up" });
const bytes = batch.bodies.reduce((sum, body) => sum + body.length, 0);

function sqliteFile() {
  const file = `${DATA}/ingest-bench.db`;
  for (const suffix of ["", "-wal", "-shm"]) rmSync(file + suffix, { force: true });
  return { location: file, drop: async () => undefined };
}

/** One server on a fresh database: batch ingest, its rate and the server's CPU per attempt. */
async function run(mode, database, inflight, events = 0) {
  const server = await startServer(database.location, config, mode.args, mode.bin);
  try {
    await ingest(server.url, warmUp, inflight);
    const cpu0 = server.cpuMs();
    const stream = events > 0 ? eventStream(server.url, events) : undefined;
    const result = await ingest(server.url, batch, inflight);
    const latencies = await stream?.stop();
    const cpu = server.cpuMs() - cpu0;
    return {
      rate: result.sent / result.seconds,
      cpuPerThousand: cpu / (result.sent / 1000),
      peakMb: server.rssMb().peak,
      latencies,
    };
  } finally {
    await server.stop();
    await database.drop();
  }
}

/** Single events at `rate` per second until stopped; their latencies, sorted. */
function eventStream(url, rate) {
  const latencies = [];
  const pending = [];
  let stopped = false;
  const loop = (async () => {
    const t0 = performance.now();
    for (let i = 0; !stopped; i++) {
      const wait = t0 + (i * 1000) / rate - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const event = {
        id: `during-${i}`,
        type: "dependency.measured",
        attemptId: `during-${i >> 3}`,
        name: "registry_pull",
        seconds: 1.5,
      };
      pending.push(
        http("POST", `${url}/api/v1/events`, JSON.stringify(event), "application/json").then(
          (r) => {
            if (r.status !== 200) throw new Error(`event answered ${r.status}: ${r.body}`);
            latencies.push(r.ms);
          },
        ),
      );
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      await Promise.all(pending);
      return latencies.sort((a, b) => a - b);
    },
  };
}

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];

console.error(
  `batch ingest: ${fmt(batch.count)} attempts with stages in ${batch.bodies.length} bodies (${fmt(bytes / batch.bodies.length / 1e6, 2)} MB each), ${ROUNDS} rounds`,
);
const rows = [];
const sqlite = new Map(modes.map((mode) => [mode, []]));
const sqlite4 = new Map(modes.map((mode) => [mode, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const mode of modes) {
    const two = await run(mode, sqliteFile(), 2);
    sqlite.get(mode).push(two);
    const four = await run(mode, sqliteFile(), 4);
    sqlite4.get(mode).push(four);
    console.error(
      `[round ${round + 1}] ${mode.name}: ${fmt(two.rate)} /s (2 in flight), ${fmt(four.rate)} /s (4 in flight), ${fmt(two.cpuPerThousand, 1)} ms CPU per 1,000`,
    );
  }
}
const during = new Map();
for (const mode of modes) {
  during.set(mode, await run(mode, sqliteFile(), 2, 100));
  console.error(`[events during ingest] ${mode.name}: done`);
}
const postgres = new Map();
for (const mode of modes) {
  postgres.set(mode, await run(mode, await freshPostgres(), 2));
  console.error(`[postgres] ${mode.name}: ${fmt(postgres.get(mode).rate)} /s`);
}

for (const mode of modes) {
  const runs = sqlite.get(mode);
  const events = during.get(mode).latencies;
  rows.push(
    `| ${mode.name} | ${runs.map((r) => fmt(r.rate)).join(", ")} | **${fmt(median(runs.map((r) => r.rate)))}** | ${fmt(median(sqlite4.get(mode).map((r) => r.rate)))} | ${fmt(median(runs.map((r) => r.cpuPerThousand)), 1)} ms | ${fmt(percentile(events, 50), 1)} / ${fmt(percentile(events, 99), 1)} / ${fmt(events[events.length - 1], 1)} ms | ${fmt(postgres.get(mode).rate)} /s | ${fmt(median(runs.map((r) => r.peakMb)))} MB |`,
  );
}
const base = median(sqlite.get(modes[0]).map((r) => r.rate));
const workers = median(sqlite.get(modes[1]).map((r) => r.rate));
const text = [
  `Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC on ${cpus().length} × ${cpus()[0]?.model} (${availableParallelism()} usable), ${Math.round(totalmem() / 2 ** 30)} GiB, Node.js ${process.version}; load average ${loadavg()[0].toFixed(1)} at the end. ${fmt(batch.count)} attempts with ~7 stages and ~6 dependency samples each, NDJSON, 1,000 per request (${fmt(bytes / batch.bodies.length / 1e6, 2)} MB).`,
  "",
  "| server | SQLite, 2 in flight: each round | median | SQLite, 4 in flight: median | server CPU per 1,000 attempts | single events at 100/s during the ingest: p50 / p99 / max | PostgreSQL, 2 in flight | server peak RSS |",
  "| --- | --- | --- | --- | --- | --- | --- | --- |",
  ...rows,
  "",
  `Worker threads against the event loop, SQLite, 2 in flight: ${fmt(workers / base, 2)}×.`,
  "",
].join("\n");
writeFileSync(`${DATA}/ingest.md`, text);
console.log(text);
agent.destroy();
