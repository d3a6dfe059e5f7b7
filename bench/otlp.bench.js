// npm run bench:otlp: the same attempts (with their stages) ingested three ways, side by side in
// one run, each on a fresh SQLite database after a warm-up, alternating for BENCH_ROUNDS rounds:
// batch records (POST /api/v1/attempts, NDJSON, 1,000 a request), lifecycle events
// (POST /api/v1/events, 100 attempts a request) and OTLP/HTTP JSON spans (POST /v1/traces,
// 100 attempts a request, one trace each: the pipeline run, its tasks, the serving instant).
// Every request goes to 127.0.0.1; every loop is bounded.
import { mkdirSync, rmSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { writeHundredSlos } from "./hundred-slos.js";
import { batchBodies, fmt, http, startServer } from "./serve-kit.js";

const COUNT = Number(process.env.BENCH_OTLP ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PER_REQUEST = 100;
const DATA = "bench/.data";
mkdirSync(DATA, { recursive: true });
const config = writeHundredSlos(`${DATA}/service-slos-100.yaml`);

/** Finished generated attempts with finished stages, without dependency samples. */
function attempts(count, prefix) {
  const out = [];
  for (const body of batchBodies(count * 1.1, true, { idPrefix: prefix }).bodies) {
    for (const line of body.toString().split("\n")) {
      const record = JSON.parse(line);
      if (record.outcome === "in_progress" || record.outcome === undefined) continue;
      record.stages = (record.stages ?? []).filter((stage) => stage.endedAt !== undefined);
      delete record.dependencies;
      out.push(record);
      if (out.length === count) return out;
    }
  }
  return out;
}

const chunk = (items, size) =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) =>
    items.slice(i * size, (i + 1) * size),
  );

function recordBodies(records) {
  return chunk(records, 1000).map((part) => ({
    path: "/api/v1/attempts",
    type: "application/x-ndjson",
    body: Buffer.from(part.map((r) => JSON.stringify(r)).join("\n")),
  }));
}

const finalTime = (r) => r.endedAt ?? r.servingAt;

function recordEvents(r) {
  const events = [
    {
      id: `${r.id}:started`,
      type: "attempt.started",
      attemptId: r.id,
      at: r.startedAt,
      model: r.model,
      version: r.version,
      environment: r.environment,
      labels: r.labels ?? {},
    },
    ...r.stages.map((s, i) => ({
      id: `${r.id}:stage-${i}`,
      type: "stage.finished",
      attemptId: r.id,
      at: s.endedAt,
      startedAt: s.startedAt,
      stage: s.name,
      status: s.status ?? "succeeded",
      kind: s.kind ?? "active",
    })),
  ];
  if (r.servingAt !== undefined) {
    events.push({
      id: `${r.id}:serving`,
      type: "attempt.serving",
      attemptId: r.id,
      at: r.servingAt,
    });
  }
  events.push({
    id: `${r.id}:finished`,
    type: "attempt.finished",
    attemptId: r.id,
    at: finalTime(r),
    outcome: r.outcome,
  });
  return events;
}

function eventBodies(records) {
  return chunk(records, PER_REQUEST).map((part) => ({
    path: "/api/v1/events",
    type: "application/json",
    body: Buffer.from(JSON.stringify(part.flatMap(recordEvents))),
  }));
}

const nanos = (time) => `${Date.parse(time)}000000`;
const text = (key, value) => ({ key, value: { stringValue: String(value) } });
const hex = (n, digits) => n.toString(16).padStart(digits, "0");
const RESULT = {
  succeeded: "success",
  failed: "failure",
  rolled_back: "failure",
  timed_out: "timeout",
  cancelled: "cancellation",
};
const TASK = {
  succeeded: "success",
  failed: "failure",
  timed_out: "timeout",
  cancelled: "cancellation",
  skipped: "skip",
};

let traces = 0;
function recordTrace(r) {
  const traceId = hex(++traces, 32);
  const run = hex(1, 16);
  return {
    resource: {
      attributes: [
        text("service.name", "deploy-controller"),
        text("deployslo.attempt.id", r.id),
        text("deployslo.model", r.model),
        text("deployslo.model.version", r.version),
        text("deployment.environment.name", r.environment),
        ...Object.entries(r.labels ?? {}).map(([k, v]) => text(`deployslo.label.${k}`, v)),
      ],
    },
    scopeSpans: [
      {
        scope: { name: "bench" },
        spans: [
          {
            traceId,
            spanId: run,
            name: "RUN deploy",
            kind: 2,
            startTimeUnixNano: nanos(r.startedAt),
            endTimeUnixNano: nanos(finalTime(r)),
            attributes: [
              text("cicd.pipeline.result", RESULT[r.outcome]),
              text("deployslo.outcome", r.outcome),
            ],
            events:
              r.servingAt === undefined
                ? []
                : [{ name: "deployslo.serving", timeUnixNano: nanos(r.servingAt) }],
          },
          ...r.stages.map((s, i) => ({
            traceId,
            spanId: hex(i + 2, 16),
            parentSpanId: run,
            name: s.name,
            kind: 1,
            startTimeUnixNano: nanos(s.startedAt),
            endTimeUnixNano: nanos(s.endedAt),
            attributes: [
              text("cicd.pipeline.task.name", s.name),
              text("cicd.pipeline.task.run.result", TASK[s.status ?? "succeeded"]),
              text("deployslo.stage.kind", s.kind ?? "active"),
            ],
          })),
        ],
      },
    ],
  };
}

function spanBodies(records) {
  return chunk(records, PER_REQUEST).map((part) => ({
    path: "/v1/traces",
    type: "application/json",
    body: Buffer.from(JSON.stringify({ resourceSpans: part.map(recordTrace) })),
  }));
}

async function post(url, bodies, inflight = 2) {
  const running = new Set();
  for (const { path, type, body } of bodies) {
    const p = http("POST", `${url}${path}`, body, type).then((r) => {
      if (r.status !== 200 || r.body.includes("partialSuccess")) {
        throw new Error(`${path} answered ${r.status}: ${r.body.slice(0, 300)}`);
      }
      running.delete(p);
    });
    running.add(p);
    if (running.size >= inflight) await Promise.race(running);
  }
  await Promise.all(running);
}

const records = attempts(COUNT, "att");
const warm = attempts(1_000, "warm-up");
const stages = records.reduce((sum, r) => sum + r.stages.length, 0);
const modes = [
  { name: "batch records (POST /api/v1/attempts)", make: recordBodies },
  { name: "lifecycle events (POST /api/v1/events)", make: eventBodies },
  { name: "OTLP spans (POST /v1/traces)", make: spanBodies },
].map((mode) => ({
  ...mode,
  bodies: mode.make(records),
  warm: mode.make(warm),
  rates: [],
  cpu: [],
}));
for (const mode of modes) {
  mode.items = mode.bodies.reduce((sum, b) => {
    const parsed = b.path === "/api/v1/attempts" ? null : JSON.parse(b.body.toString());
    if (parsed === null) return sum + b.body.toString().split("\n").length;
    if (Array.isArray(parsed)) return sum + parsed.length;
    return sum + parsed.resourceSpans.reduce((n, rs) => n + rs.scopeSpans[0].spans.length, 0);
  }, 0);
}

const file = `${DATA}/otlp-bench.db`;
for (let round = 1; round <= ROUNDS; round++) {
  for (const mode of modes) {
    for (const suffix of ["", "-wal", "-shm"]) rmSync(file + suffix, { force: true });
    const server = await startServer(file, config);
    try {
      await post(server.url, mode.warm);
      const cpu0 = server.cpuMs();
      const t0 = performance.now();
      await post(server.url, mode.bodies);
      const seconds = (performance.now() - t0) / 1000;
      mode.rates.push(records.length / seconds);
      mode.cpu.push((server.cpuMs() - cpu0) / (records.length / 1000));
    } finally {
      await server.stop();
    }
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const batch = median(modes[0].rates);
console.log(
  `${new Date().toISOString()} on ${cpus().length} × ${cpus()[0]?.model.trim()}, ${fmt(totalmem() / 2 ** 30)} GiB, Node.js ${process.version}, load ${loadavg()[0]?.toFixed(1)}`,
);
console.log(
  `${fmt(records.length)} finished attempts with ${fmt(stages)} stages (${fmt(stages / records.length, 1)} each), ${ROUNDS} rounds, 2 requests in flight, fresh SQLite each run`,
);
console.log(
  "| ingest | items sent | attempts/s each round | median attempts/s | items/s (median) | server CPU per 1,000 attempts | vs batch |",
);
console.log("| --- | --- | --- | --- | --- | --- | --- |");
for (const mode of modes) {
  const rate = median(mode.rates);
  console.log(
    `| ${mode.name} | ${fmt(mode.items)} | ${mode.rates.map((r) => fmt(r)).join(", ")} | ${fmt(rate)} /s | ${fmt((rate * mode.items) / records.length)} /s | ${fmt(median(mode.cpu), 1)} ms | ${fmt(rate / batch, 2)}× |`,
  );
}
