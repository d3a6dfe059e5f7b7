// Helpers the service benchmarks share: a `deployslo serve` child process, HTTP over 127.0.0.1,
// NDJSON batch bodies, a fresh PostgreSQL schema, CPU time read from /proc.
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { Agent, request } from "node:http";
import pg from "pg";

export const POSTGRES =
  process.env.DEPLOYSLO_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

const { generateHistoryLines } = await import("../dist/sample/generate-history.js");
export const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** One request; resolves with status, body text and latency in ms. */
export function http(method, url, body, contentType = "application/x-ndjson") {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = request(
      url,
      { method, agent, headers: body ? { "content-type": contentType } : {} },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode,
            body: Buffer.concat(chunks).toString(),
            ms: Number(process.hrtime.bigint() - started) / 1e6,
          }),
        );
      },
    );
    req.on("error", reject);
    if (body) req.end(body);
    else req.end();
  });
}

/**
 * Starts `deployslo serve` (the built CLI, or `bin`: another checkout's, to compare builds) on a
 * free port; `args` are extra serve options.
 */
export async function startServer(database, config, args = [], bin = "dist/cli/main.js") {
  const child = spawn(
    process.execPath,
    [
      bin,
      "serve",
      "--config",
      config,
      "--database",
      database,
      "--port",
      "0",
      "--log-level",
      "warn",
      ...args,
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), 600_000);
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
      const match = /serving (http:\/\/\S+)/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.on("exit", (code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
  });
  return {
    url,
    pid: child.pid,
    rssMb() {
      const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
      const kb = (name) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
      return { rss: kb("VmRSS") / 1024, peak: kb("VmHWM") / 1024 };
    },
    /** CPU time (user + system) of all the server's threads so far, ms. */
    cpuMs() {
      let ticks = 0;
      for (const tid of readdirSync(`/proc/${child.pid}/task`)) {
        const stat = readFileSync(`/proc/${child.pid}/task/${tid}/stat`, "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        ticks += Number(fields[11]) + Number(fields[12]);
      }
      return ticks * 10; // USER_HZ is 100 on Linux
    },
    stop: () =>
      new Promise((resolve) => {
        child.on("exit", resolve);
        child.kill("SIGTERM");
      }),
  };
}

/**
 * NDJSON bodies of `size` generated attempts each (seed 11), `count` in all, ending now so that
 * SLO windows are full, with ids `<idPrefix>-N` (histories with different prefixes do not
 * overlap). Bodies are bytes, made before any clock starts: the generator and the
 * string-to-bytes conversion share the machine's cores with the server.
 */
export function batchBodies(count, withStages, { size = 1000, idPrefix = "att" } = {}) {
  const bodies = [];
  let lines = [];
  let planned = 0;
  for (const line of generateHistoryLines({
    seed: 11,
    start: Date.now() - (count / 2500) * 86_400_000,
    days: Math.max(1, count / 2500),
    attemptsPerDay: 2500,
    withStages,
  })) {
    lines.push(idPrefix === "att" ? line : line.replace('{"id":"att-', `{"id":"${idPrefix}-`));
    if (lines.length === size) {
      bodies.push(Buffer.from(lines.join("\n")));
      planned += lines.length;
      lines = [];
      if (planned >= count) break;
    }
  }
  if (lines.length > 0 && planned < count) {
    bodies.push(Buffer.from(lines.join("\n")));
    planned += lines.length;
  }
  return { bodies, count: planned };
}

/** Posts every body to POST /api/v1/attempts with `inflight` requests at a time. */
export async function ingest(url, batch, inflight = 2) {
  const t0 = performance.now();
  const running = new Set();
  for (const body of batch.bodies) {
    const p = http("POST", `${url}/api/v1/attempts`, body).then((r) => {
      if (r.status !== 200) throw new Error(`ingest answered ${r.status}: ${r.body.slice(0, 300)}`);
      running.delete(p);
    });
    running.add(p);
    if (running.size >= inflight) await Promise.race(running);
  }
  await Promise.all(running);
  return { sent: batch.count, seconds: (performance.now() - t0) / 1000 };
}

/** A schema of its own in the test PostgreSQL database, dropped by `drop`. */
export async function freshPostgres() {
  const schema = `bench_${Date.now()}_${process.pid}`;
  const client = new pg.Client({ connectionString: POSTGRES });
  await client.connect();
  await client.query(`create schema ${schema}`);
  await client.end();
  const url = new URL(POSTGRES);
  url.searchParams.set("options", `-c search_path=${schema}`);
  return {
    location: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: POSTGRES });
      await c.connect();
      await c.query(`drop schema ${schema} cascade`);
      await c.end();
    },
  };
}

/** Nearest-rank percentile of sorted numbers. */
export function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p * sorted.length) / 100) - 1))];
}

export const fmt = (n, d = 0) =>
  Number(n).toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });
