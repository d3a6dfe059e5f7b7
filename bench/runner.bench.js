// npm run bench:runner: what `deployslo promote`'s runner adds beyond the stages' own work, and
// how much running independent stages in parallel (the DAG) saves against running them one
// after another. Everything in one process, side by side, on the built code (dist/).
// Prints a Markdown section for docs/benchmarks.md (also written to bench/.data/runner.md).
import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { parsePipelineSpec } from "../dist/core/pipeline/parse-pipeline-spec.js";
import { systemClock } from "../dist/runner/clock.js";
import { openStoreSink } from "../dist/runner/open-store-sink.js";
import { Recorder } from "../dist/runner/recorder.js";
import { runPipeline } from "../dist/runner/run-pipeline.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const DAG_RUNS = Number(process.env.BENCH_DAG_RUNS ?? 5);
const DATA = "bench/.data";
mkdirSync(DATA, { recursive: true });
const work = mkdtempSync(join(tmpdir(), "deployslo-bench-runner-"));
writeFileSync(join(work, "artifact.bin"), Buffer.alloc(1 << 20, 7));

// An OIP v2 server that answers at once, so the probe's own latency is small and measured.
const server = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    res.setHeader("content-type", "application/json");
    res.end(
      req.url === "/ready"
        ? '{"ready":true}'
        : '{"model_name":"m","model_version":"2","outputs":[]}',
    );
  });
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const base = `http://127.0.0.1:${server.address().port}`;

function pipeline(stages) {
  const text = `apiVersion: deployslo/v1
kind: Pipeline
metadata: { name: bench }
spec:
  stages:
${stages}
  serving:
    protocol: open-inference-v2
    url: ${base}
    model: m
    request: { inputs: [] }
    interval: 10ms
    timeout: 10s
`;
  const parsed = parsePipelineSpec(text, "bench.yaml");
  if (parsed.pipeline === undefined) throw new Error(JSON.stringify(parsed.diagnostics));
  return parsed.pipeline;
}

const REALISTIC = pipeline(
  `    - name: checksum
      checksum: { file: artifact.bin, sha256: ${"0".repeat(64)} }
      retries: 0
    - name: validate
      run: "true"
    - name: stage
      needs: [validate]
      run: echo bytes=1048576 >> "$DEPLOYSLO_OUTPUT"
    - name: start
      needs: [stage]
      run: "true"
    - name: ready
      needs: [start]
      http: { url: ${base}/ready, json: { field: ready, equals: "true" }, interval: 10ms }
    - name: shift
      needs: [ready]
      run: "true"`.replace(
    `sha256: ${"0".repeat(64)}`,
    "sha256: 51b12eb838732b786b4d45c660a974ddf3860ae09084fd293fa6e5df46581a6c",
  ),
);

const sinkOpened = await openStoreSink(join(work, "store.db"));

async function promote(p) {
  const recorder = new Recorder(sinkOpened.sink);
  const t0 = Date.now();
  const result = await runPipeline(
    p,
    { attemptId: randomUUID(), model: "m", version: "2", environment: "bench" },
    {
      clock: systemClock,
      recorder,
      baseDir: work,
      env: { PATH: process.env.PATH },
      newId: randomUUID,
    },
    new AbortController().signal,
    t0,
  );
  await recorder.flush();
  if (result.outcome !== "succeeded") throw new Error(JSON.stringify(result.stages));
  return result;
}

/** startedAt → servingAt, minus the critical path's stage spans and the probe's request. */
function overhead(result) {
  const spans = new Map(result.stages.map((s) => [s.name, s]));
  let stageWork = 0;
  for (const name of result.criticalPath) {
    if (name === "first-inference") continue;
    const s = spans.get(name);
    stageWork += s.endedAt - s.startedAt;
  }
  const total = result.servingAt - result.startedAt;
  return {
    total,
    stageWork,
    probe: result.probe.latencyMs,
    overhead: total - stageWork - result.probe.latencyMs,
  };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

await promote(REALISTIC); // warm-up: module loading, SQLite statements
const samples = [];
for (let i = 0; i < RUNS; i++) samples.push(overhead(await promote(REALISTIC)));

const INDEPENDENT = 4;
const SLEEP = "0.3";
const parallelStages = Array.from(
  { length: INDEPENDENT },
  (_, i) => `    - name: work-${i}\n      run: sleep ${SLEEP}`,
).join("\n");
const DAG = pipeline(
  `${parallelStages}\n    - name: finish\n      needs: [${Array.from({ length: INDEPENDENT }, (_, i) => `work-${i}`).join(", ")}]\n      run: "true"`,
);
const CHAIN = pipeline(
  `${Array.from({ length: INDEPENDENT }, (_, i) => `    - name: work-${i}\n      run: sleep ${SLEEP}${i > 0 ? `\n      needs: [work-${i - 1}]` : ""}`).join("\n")}\n    - name: finish\n      needs: [work-${INDEPENDENT - 1}]\n      run: "true"`,
);
const dagTimes = [];
const chainTimes = [];
for (let i = 0; i < DAG_RUNS; i++) {
  const d = await promote(DAG);
  dagTimes.push(d.servingAt - d.startedAt);
  const c = await promote(CHAIN);
  chainTimes.push(c.servingAt - c.startedAt);
}
await sinkOpened.close();
server.close();

const ms = (x) => `${x.toFixed(1)} ms`;
const o = samples.map((s) => s.overhead);
const report = `## The promotion runner (\`npm run bench:runner\`)

Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} × ${cpus()[0]?.model ?? "CPU"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; the machine was shared with other jobs.

**Runner overhead**: a six-stage pipeline (checksum of a 1 MiB file, \`run\` stages, an \`http\` wait, then the open-inference-v2 probe against an in-process server), recording every event to the embedded SQLite store, ${RUNS} promotions after one warm-up. Overhead is \`servingAt − startedAt\` minus the spans of the stages on the critical path and minus the probe's own request time: what the runner spends scheduling, spawning bookkeeping, expanding templates and recording between the spans.

| | median | min | max |
|---|---|---|---|
| promote → servingAt | ${ms(median(samples.map((s) => s.total)))} | ${ms(Math.min(...samples.map((s) => s.total)))} | ${ms(Math.max(...samples.map((s) => s.total)))} |
| stages' own work (critical path) | ${ms(median(samples.map((s) => s.stageWork)))} | | |
| probe request | ${ms(median(samples.map((s) => s.probe)))} | | |
| **runner overhead** | **${ms(median(o))}** | ${ms(Math.min(...o))} | ${ms(Math.max(...o))} |

**DAG against one after another**: ${INDEPENDENT} independent stages of \`sleep ${SLEEP}\` then one that needs them all, against the same stages chained, alternately, ${DAG_RUNS} times each.

| | median promote → servingAt |
|---|---|
| DAG (parallel) | ${ms(median(dagTimes))} |
| sequential | ${ms(median(chainTimes))} |
| saved | ${ms(median(chainTimes) - median(dagTimes))} (${((1 - median(dagTimes) / median(chainTimes)) * 100).toFixed(0)}%) |
`;
writeFileSync(`${DATA}/runner.md`, report);
process.stdout.write(report);
