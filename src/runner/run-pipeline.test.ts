import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Attempt } from "../core/attempt/attempt.js";
import type { AttemptEvent } from "../core/attempt/attempt-event.js";
import { criticalPath } from "../core/attempt/critical-path.js";
import { foldAttemptEvents } from "../core/attempt/fold-attempt-events.js";
import { sloEndPoint } from "../core/attempt/slo-end-point.js";
import { parsePipelineSpec } from "../core/pipeline/parse-pipeline-spec.js";
import type { Pipeline } from "../core/pipeline/pipeline.js";
import { systemClock } from "./clock.js";
import { Recorder } from "./recorder.js";
import { type RunnerEvent, runPipeline } from "./run-pipeline.js";

/** An Open Inference Protocol v2 server whose reported model_version the test sets. */
let server: Server;
let base = "";
let served = "1";

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.method === "POST" && req.url === "/v2/models/iris/infer") {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ model_name: "iris", model_version: served, outputs: [] }));
    } else {
      res.statusCode = req.url === "/ready" ? 200 : 404;
      res.end("{}");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function pipeline(stages: string, extra = "", probeTimeout = "10s"): Pipeline {
  const text = `apiVersion: deployslo/v1
kind: Pipeline
metadata: { name: test }
spec:
  env: { BASE: "${base}" }
  stages:
${stages}
  serving:
    protocol: open-inference-v2
    url: \${env.BASE}
    model: iris
    request: { inputs: [] }
    interval: 50ms
    timeout: ${probeTimeout}
${extra}`;
  const parsed = parsePipelineSpec(text, "test.yaml");
  if (parsed.pipeline === undefined) throw new Error(JSON.stringify(parsed.diagnostics));
  return parsed.pipeline;
}

async function run(p: Pipeline, options: { cancelAfterStage?: string } = {}) {
  const events: AttemptEvent[] = [];
  const recorder = new Recorder({
    where: "memory",
    send: async (batch) => void events.push(...batch),
  });
  const progress: RunnerEvent[] = [];
  const cancel = new AbortController();
  const result = await runPipeline(
    p,
    { attemptId: `att-${randomUUID()}`, model: "iris", version: "2", environment: "test" },
    {
      clock: systemClock,
      recorder,
      baseDir: process.cwd(),
      env: { PATH: process.env.PATH },
      newId: randomUUID,
      onEvent: (event) => {
        progress.push(event);
        if (event.type === "stage-started" && event.stage === options.cancelAfterStage)
          setTimeout(() => cancel.abort(), 200);
      },
    },
    cancel.signal,
  );
  await recorder.flush();
  const attempt = foldAttemptEvents(result.attemptId, events);
  return { result, attempt, progress };
}

/** The critical path of a recorded attempt by the rule the dashboard applies (one rule). */
function recordedCriticalPath(attempt: Attempt | undefined): string[] {
  if (attempt === undefined) return [];
  const endPoint = sloEndPoint(attempt) ?? Number.POSITIVE_INFINITY;
  return criticalPath(attempt.stages, endPoint).flatMap((i) => attempt.stages[i]?.name ?? []);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("runPipeline", () => {
  it("runs independent stages in parallel, passes outputs on, and probes to servingAt", async () => {
    served = "2";
    const { result, attempt } = await run(
      pipeline(`    - name: pull
      run: sleep 0.4; echo bytes=123 >> "$DEPLOYSLO_OUTPUT"
    - name: scan
      run: sleep 0.4
      kind: wait
    - name: start
      needs: [pull, scan]
      run: test "$STAGE_PULL_BYTES" = 123 && test "$VERSION" = 2 && echo "port=$STAGE_PULL_BYTES" >> "$DEPLOYSLO_OUTPUT"`),
    );
    expect(result.outcome).toBe("succeeded");
    const [pull, scan, start, probe] = result.stages;
    expect(result.stages.map((s) => [s.name, s.status])).toEqual([
      ["pull", "succeeded"],
      ["scan", "succeeded"],
      ["start", "succeeded"],
      ["first-inference", "succeeded"],
    ]);
    // Parallel: each of pull and scan started before the other ended.
    expect(scan?.startedAt).toBeLessThan(pull?.endedAt ?? 0);
    expect(pull?.startedAt).toBeLessThan(scan?.endedAt ?? 0);
    expect(start?.startedAt).toBeGreaterThanOrEqual(
      Math.max(pull?.endedAt ?? 0, scan?.endedAt ?? 0),
    );
    expect(start?.attributes.port).toBe(123);
    expect(result.servingAt).toBe(probe?.endedAt);
    expect(result.criticalPath.at(-1)).toBe("first-inference");
    expect(result.criticalPath).toContain("start");
    // The path promote prints is the one the dashboard shows for the recorded attempt.
    expect(result.criticalPath).toEqual(recordedCriticalPath(attempt));
    expect(attempt).toMatchObject({
      outcome: "succeeded",
      servingAt: result.servingAt,
      version: "2",
    });
    expect(attempt?.stages.find((s) => s.name === "pull")?.attributes.bytes).toBe(123);
    expect(attempt?.stages.find((s) => s.name === "scan")?.kind).toBe("wait");
    expect(attempt?.dependencies.map((d) => d.name)).toEqual(["inference_latency"]);
  });

  it("retries a failing stage, then runs onFailure: rolled_back", async () => {
    served = "2";
    const { result, attempt } = await run(
      pipeline(
        `    - name: start
      run: echo "try $DEPLOYSLO_TRY"; exit 3
      retries: 1
      retryDelay: 10ms
    - name: after
      needs: start
      run: "true"`,
        `  onFailure:
    - name: shift-back
      run: "true"`,
      ),
    );
    expect(result.outcome).toBe("rolled_back");
    expect(result.rollback).toBe("succeeded");
    expect(result.stages.map((s) => [s.name, s.status, s.tries])).toEqual([
      ["start", "failed", 2],
      ["after", "skipped", 0],
      ["shift-back", "succeeded", 1],
    ]);
    expect(result.stages[0]?.error).toBe("exit code 3: try 2");
    expect(attempt?.outcome).toBe("rolled_back");
    expect(attempt?.servingAt).toBeNull();
    expect(attempt?.stages.map((s) => s.name)).toEqual(["start", "shift-back"]);
  });

  it("kills a stage's whole process group at its timeout", async () => {
    const { result } = await run(
      pipeline(`    - name: hang
      run: sleep 30 & echo "child=$!" >> "$DEPLOYSLO_OUTPUT"; sleep 30
      timeout: 300ms`),
    );
    expect(result.outcome).toBe("failed");
    const hang = result.stages[0];
    expect(hang?.status).toBe("timed_out");
    expect(hang?.error).toMatch(/^timed out after 300 ms/);
    const child = Number(hang?.attributes.child);
    const deadline = Date.now() + 5000;
    while (isAlive(child) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(isAlive(child)).toBe(false);
  });

  it("is timed_out when the probe never confirms the version, after running onFailure", async () => {
    served = "1";
    const { result, attempt } = await run(
      pipeline(
        `    - name: start
      run: "true"`,
        `  onFailure:
    - name: shift-back
      run: "true"`,
        "600ms",
      ),
    );
    expect(result.outcome).toBe("timed_out");
    expect(result.rollback).toBe("succeeded");
    expect(result.probe?.error).toMatch(/model_version is "1", expected "2"/);
    expect(attempt?.outcome).toBe("timed_out");
    expect(attempt?.servingAt).toBeNull();
    expect(result.criticalPath).toEqual(recordedCriticalPath(attempt));
  });

  it("on cancel stops the running stage, records cancelled, and runs no onFailure", async () => {
    const { result, attempt } = await run(
      pipeline(
        `    - name: slow
      run: sleep 30
    - name: next
      needs: slow
      run: "true"`,
        `  onFailure:
    - name: shift-back
      run: "true"`,
      ),
      { cancelAfterStage: "slow" },
    );
    expect(result.outcome).toBe("cancelled");
    expect(result.rollback).toBe("none");
    expect(result.stages.map((s) => [s.name, s.status])).toEqual([
      ["slow", "cancelled"],
      ["next", "skipped"],
      ["shift-back", "skipped"],
    ]);
    expect(result.endedAt - result.startedAt).toBeLessThan(10_000);
    expect(attempt?.outcome).toBe("cancelled");
  });
});
