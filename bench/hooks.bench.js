// npm run bench:hooks: the webhook receivers (POST /api/v1/hooks/{source}) against event ingest
// (POST /api/v1/events) in one run, alternating, each on a fresh SQLite database after a
// warm-up. Per attempt: an MLflow alias move (signed), Argo CD's Running and deployed
// notifications: 3 deliveries, 5 events stored (the deployed notification repeats the sync's start). The event-ingest side posts the very events the
// receivers store, once one request per delivery (what a tool's webhook would cost if it spoke
// our format) and once in batches of 1,000 (batch ingest). Every request goes to 127.0.0.1.
import { createHmac } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { availableParallelism, cpus, loadavg, totalmem } from "node:os";
import { fmt, startServer } from "./serve-kit.js";

const ATTEMPTS = Number(process.env.BENCH_HOOK_ATTEMPTS ?? 600);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const INFLIGHT = Number(process.env.BENCH_HOOK_INFLIGHT ?? 8);
// With BENCH_COMPARE_WITH=<another checkout, built>, that build's server runs too, alternating.
const COMPARE = process.env.BENCH_COMPARE_WITH;
const builds = [
  { name: "", bin: undefined },
  ...(COMPARE === undefined
    ? []
    : [{ name: ` (build at ${COMPARE})`, bin: `${COMPARE}/dist/cli/main.js` }]),
];
const SECRET = "bench-mlflow-secret-0123";
const DATA = "bench/.data";
mkdirSync(DATA, { recursive: true });
const CONFIG = "test/fixtures/slos.yaml";
const agent = new Agent({ keepAlive: true, maxSockets: 64 });
const fixture = (name) => readFileSync(`test/fixtures/hooks/${name}`, "utf8");
const MOVE = fixture("mlflow-model-version-alias-created.json");
const RUNNING = JSON.parse(fixture("argocd-sync-running.json"));
const DEPLOYED = JSON.parse(fixture("argocd-app-deployed.json"));

function post(url, body, headers) {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", agent, headers }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString();
        if (res.statusCode !== 200) reject(new Error(`${url} answered ${res.statusCode}: ${text}`));
        else resolve(JSON.parse(text));
      });
    });
    req.on("error", reject);
    req.end(body);
  });
}

function mlflowHeaders(body, deliveryId) {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = createHmac("sha256", SECRET)
    .update(`${deliveryId}.${timestamp}.${body}`)
    .digest("base64");
  return {
    "content-type": "application/json",
    "x-mlflow-delivery-id": deliveryId,
    "x-mlflow-timestamp": timestamp,
    "x-mlflow-signature": `v1,${signature}`,
  };
}

/** The deliveries of attempt `i`, as the tools send them. */
function deliveries(prefix, i) {
  const model = `${prefix}-model-${i}`;
  const app = `${model}-production`;
  const move = MOVE.replace("fraud-model", model);
  return [
    { source: "mlflow", body: move, headers: mlflowHeaders(move, `${prefix}-delivery-${i}`) },
    { source: "argocd", body: JSON.stringify({ ...RUNNING, app, model }), headers: {} },
    { source: "argocd", body: JSON.stringify({ ...DEPLOYED, app, model }), headers: {} },
  ];
}

/** The same facts as attempt events: one request per delivery, 1 + 1 + 4 events (one a duplicate). */
function eventRequests(prefix, i) {
  const attemptId = `${prefix}-attempt-${i}`;
  const e = (id, rest) => ({ id: `${attemptId}:${id}`, attemptId, ...rest });
  const sync = { stage: "sync", attributes: { source: "argocd" } };
  return [
    [
      e("started", {
        type: "attempt.started",
        at: "2026-10-14T09:00:00.080Z",
        model: `${prefix}-model-${i}`,
        version: "7",
        environment: "production",
        attributes: { source: "mlflow", "mlflow.alias": "champion" },
      }),
    ],
    [
      e("sync-start", {
        type: "stage.started",
        at: "2026-10-14T09:00:40Z",
        kind: "active",
        ...sync,
      }),
    ],
    [
      e("sync-start", {
        type: "stage.started",
        at: "2026-10-14T09:00:40Z",
        kind: "active",
        ...sync,
      }),
      e("sync-end", { type: "stage.finished", at: "2026-10-14T09:01:10Z", ...sync }),
      e("health-start", {
        type: "stage.started",
        at: "2026-10-14T09:01:10Z",
        stage: "health-check",
      }),
      e("health-end", {
        type: "stage.finished",
        at: "2026-10-14T09:02:30Z",
        stage: "health-check",
      }),
    ],
  ];
}

/** Runs `count` attempts' jobs with INFLIGHT attempts at a time, each attempt's requests in order. */
async function drive(count, job) {
  let next = 0;
  let events = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const stored = await job(i);
      events += stored;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: INFLIGHT }, worker));
  return { ms: performance.now() - t0, events };
}

const viaHooks = (url, prefix) => async (i) => {
  let accepted = 0;
  for (const d of deliveries(prefix, i)) {
    const reply = await post(`${url}/api/v1/hooks/${d.source}`, d.body, {
      "content-type": "application/json",
      ...d.headers,
    });
    accepted += reply.accepted;
  }
  return accepted;
};
const viaEvents = (url, prefix) => async (i) => {
  let accepted = 0;
  for (const events of eventRequests(prefix, i)) {
    accepted += (
      await post(`${url}/api/v1/events`, JSON.stringify(events), {
        "content-type": "application/json",
      })
    ).accepted;
  }
  return accepted;
};

async function viaBatches(url, prefix, count) {
  const all = Array.from({ length: count }, (_, i) => eventRequests(prefix, i).flat());
  const flat = all.flat();
  const t0 = performance.now();
  let events = 0;
  const bodies = [];
  for (let i = 0; i < flat.length; i += 1000) bodies.push(JSON.stringify(flat.slice(i, i + 1000)));
  let next = 0;
  await Promise.all(
    Array.from({ length: 2 }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++];
        const reply = await post(`${url}/api/v1/events`, body, {
          "content-type": "application/json",
        });
        events += reply.accepted;
      }
    }),
  );
  return { ms: performance.now() - t0, events };
}

const modes = {
  hooks: (url, prefix, count) => drive(count, viaHooks(url, prefix)),
  "events, one request per delivery": (url, prefix, count) => drive(count, viaEvents(url, prefix)),
  "events, batches of 1,000": viaBatches,
};

async function run(name, bin) {
  const file = `${DATA}/hooks-bench.db`;
  for (const suffix of ["", "-wal", "-shm"]) rmSync(file + suffix, { force: true });
  const server = await startServer(
    file,
    CONFIG,
    ["--hook-secret", `mlflow=${SECRET}`, "--mlflow-alias", "champion=production"],
    bin,
  );
  try {
    await modes[name](server.url, "warm", 200);
    const cpu0 = server.cpuMs();
    const result = await modes[name](server.url, "bench", ATTEMPTS);
    const cpu = server.cpuMs() - cpu0;
    if (result.events !== ATTEMPTS * 5) {
      throw new Error(`${name}: stored ${result.events} events, expected ${ATTEMPTS * 5}`);
    }
    return { rate: (result.events / result.ms) * 1000, cpuPerEvent: cpu / result.events };
  } finally {
    await server.stop();
  }
}

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
const names = builds.flatMap((build) =>
  Object.keys(modes).map((mode) => ({ mode, build, name: `${mode}${build.name}` })),
);
const results = new Map(names.map(({ name }) => [name, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const { mode, build, name } of names) {
    const result = await run(mode, build.bin);
    results.get(name).push(result);
    console.error(
      `[round ${round + 1}] ${name}: ${fmt(result.rate)} events/s, ${fmt(result.cpuPerEvent * 1000)} µs CPU per event`,
    );
  }
}
const rate = (name) => median(results.get(name).map((r) => r.rate));
const cpu = (name) => median(results.get(name).map((r) => r.cpuPerEvent));
const rows = [...results.keys()].map(
  (name) =>
    `| ${name} | ${results
      .get(name)
      .map((r) => fmt(r.rate))
      .join(", ")} | **${fmt(rate(name))}** | ${fmt(cpu(name) * 1000)} µs |`,
);
const text = [
  `Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC on ${cpus().length} × ${cpus()[0]?.model} (${availableParallelism()} usable), ${Math.round(totalmem() / 2 ** 30)} GiB, Node.js ${process.version}; load average ${loadavg()[0].toFixed(1)} at the end. SQLite; ${fmt(ATTEMPTS)} attempts of 5 stored events (3 deliveries each: an MLflow alias move, Argo CD Running, Argo CD deployed), ${INFLIGHT} attempts in flight; ${ROUNDS} rounds, each on a fresh database after 200 attempts of warm-up.`,
  "",
  "| how | events/s, each round | median | server CPU per event |",
  "| --- | --- | --- | --- |",
  ...rows,
  "",
  ...builds.map(
    ({ name: b }) =>
      `Receivers${b} against event ingest with one request per delivery: ${fmt(rate(`hooks${b}`) / rate(`events, one request per delivery${b}`), 2)}× the rate; against batches of 1,000: ${fmt(rate(`hooks${b}`) / rate(`events, batches of 1,000${b}`), 2)}×.`,
  ),
  "",
].join("\n");
writeFileSync(`${DATA}/hooks.md`, text);
console.log(text);
agent.destroy();
