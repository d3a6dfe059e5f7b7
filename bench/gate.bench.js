// npm run bench:gate: how long the deployment gate takes to answer CI, with 100 SLOs over N
// stored attempts (default 1,000,000, windows full), on SQLite, beside GET /api/v1/slos (every
// SLO's status) in the same run. Every request goes to 127.0.0.1; every loop is bounded.
import { mkdirSync, rmSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { writeHundredSlos } from "./hundred-slos.js";
import { batchBodies, fmt, http, ingest, percentile, startServer } from "./serve-kit.js";

const STORED = Number(process.env.BENCH_STORED ?? 1_000_000);
const REQUESTS = Number(process.env.BENCH_GATE_REQUESTS ?? 400);
const DATA = "bench/.data";
mkdirSync(DATA, { recursive: true });

const MODELS = ["fraud-detector", "churn-predictor", "llm-summarizer", "image-tagger"];

async function timed(name, count, send) {
  const latencies = [];
  for (let i = 0; i < count; i++) {
    const reply = await send(i);
    if (reply.status !== 200)
      throw new Error(`${name} answered ${reply.status}: ${reply.body.slice(0, 300)}`);
    latencies.push(reply.ms);
  }
  latencies.sort((a, b) => a - b);
  return {
    name,
    p50: percentile(latencies, 50),
    p90: percentile(latencies, 90),
    p99: percentile(latencies, 99),
  };
}

const database = `${DATA}/gate-${process.pid}.db`;
const server = await startServer(database, writeHundredSlos(`${DATA}/gate-slos-100.yaml`));
try {
  const loaded = await ingest(server.url, batchBodies(STORED, true));
  console.error(`stored ${fmt(loaded.sent)} attempts in ${fmt(loaded.seconds, 1)} s`);
  const gate = (i) =>
    http(
      "POST",
      `${server.url}/api/v1/gate`,
      JSON.stringify({
        model: MODELS[i % MODELS.length],
        environment: i % 2 ? "production" : "staging",
        version: String(i),
      }),
      "application/json",
    );
  const status = () => http("GET", `${server.url}/api/v1/slos`);
  await timed("warm-up", 20, gate);
  await timed("warm-up", 5, status);
  // Alternate the two so that both see the same machine load.
  const rounds = [];
  for (let r = 0; r < 4; r++) {
    rounds.push(await timed("POST /api/v1/gate", REQUESTS / 4, gate));
    rounds.push(await timed("GET /api/v1/slos", 10, status));
  }
  const median = (name, key) => {
    const values = rounds
      .filter((x) => x.name === name)
      .map((x) => x[key])
      .sort((a, b) => a - b);
    return values[Math.floor(values.length / 2)];
  };
  const rows = ["POST /api/v1/gate", "GET /api/v1/slos"].map((name) => ({
    name,
    p50: median(name, "p50"),
    p90: median(name, "p90"),
    p99: median(name, "p99"),
  }));
  console.log(
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? "?"}, ${fmt(totalmem() / 2 ** 30)} GiB; ${new Date().toISOString()}`,
  );
  console.log(`SQLite, 100 SLOs, ${fmt(loaded.sent)} stored attempts with stages, windows full`);
  console.log("| request | p50 ms | p90 ms | p99 ms |");
  console.log("| --- | ---: | ---: | ---: |");
  for (const row of rows)
    console.log(`| ${row.name} | ${fmt(row.p50, 1)} | ${fmt(row.p90, 1)} | ${fmt(row.p99, 1)} |`);
  console.log(`gate p50 / status p50 = ${fmt(rows[0].p50 / rows[1].p50, 2)}`);
} finally {
  await server.stop();
  rmSync(database, { force: true });
  rmSync(`${database}-wal`, { force: true });
  rmSync(`${database}-shm`, { force: true });
}
