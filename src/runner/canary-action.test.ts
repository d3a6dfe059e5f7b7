import { randomUUID } from "node:crypto";
import { mkdtemp, readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../clock/clock.js";
import type { AttemptEvent } from "../core/attempt/attempt-event.js";
import { foldAttemptEvents } from "../core/attempt/fold-attempt-events.js";
import { parsePipelineSpec } from "../core/pipeline/parse-pipeline-spec.js";
import type { CanaryAction } from "../core/pipeline/pipeline.js";
import { certainFailure } from "./canary-action.js";
import { Recorder } from "./recorder.js";
import { runPipeline } from "./run-pipeline.js";
import type { GateCheck } from "./runner-types.js";

// The canary with a `run` traffic command (any system but the local switch), against two
// in-process inference servers: the old version, and a new one whose behaviour the test sets.

interface Version {
  server: Server;
  url: string;
  version: string;
  /** Every nth request answers 500; 0: never. */
  failEvery: number;
  requests: number;
}

async function start(version: string): Promise<Version> {
  const v: Version = { server: createServer(), url: "", version, failEvery: 0, requests: 0 };
  v.server.on("request", (req, res) => {
    req.resume();
    req.on("end", () => {
      v.requests++;
      res.setHeader("content-type", "application/json");
      if (v.failEvery > 0 && v.requests % v.failEvery === 0) {
        res.statusCode = 500;
        res.end('{"error":"broken"}');
        return;
      }
      res.end(JSON.stringify({ model_name: "iris", model_version: v.version, outputs: [] }));
    });
  });
  await new Promise<void>((resolve) => v.server.listen(0, "127.0.0.1", resolve));
  v.url = `http://127.0.0.1:${(v.server.address() as AddressInfo).port}`;
  return v;
}

let old: Version;
let next: Version;
let dir = "";

beforeAll(async () => {
  old = await start("1");
  next = await start("2");
  dir = await mkdtemp(join(tmpdir(), "deployslo-canary-"));
});
afterAll(async () => {
  for (const v of [old, next]) await new Promise<void>((r) => v.server.close(() => r()));
});

function pipeline(weights: string, extra = "") {
  const text = `apiVersion: deployslo/v1
kind: Pipeline
metadata: { name: canary-test }
spec:
  stages:
    - name: canary
      canary:
        run: echo "$CANARY_STEP:$CANARY_WEIGHT" >> ${weights}
        url: ${next.url}
        baseline: ${old.url}
        steps: [25, 100]
        requests: 10
        interval: 0s
        # Both servers share this test's event loop: latencies here say nothing about them.
        analysis: { minP95Difference: 10s }
  serving:
    protocol: open-inference-v2
    url: ${next.url}
    model: iris
    request: { inputs: [] }
    interval: 20ms
    timeout: 5s
${extra}`;
  const parsed = parsePipelineSpec(text, "test.yaml");
  if (parsed.pipeline === undefined) throw new Error(JSON.stringify(parsed.diagnostics));
  return parsed.pipeline;
}

async function promote(weights: string, extra = "", gate?: () => Promise<GateCheck>) {
  const events: AttemptEvent[] = [];
  const recorder = new Recorder({ where: "memory", send: async (b) => void events.push(...b) });
  const result = await runPipeline(
    pipeline(weights, extra),
    { attemptId: `att-${randomUUID()}`, model: "iris", version: "2", environment: "test" },
    {
      clock: systemClock,
      recorder,
      baseDir: dir,
      env: { PATH: process.env.PATH },
      newId: randomUUID,
      ...(gate === undefined ? {} : { gate }),
    },
    new AbortController().signal,
  );
  await recorder.flush();
  const attempt = foldAttemptEvents(result.attemptId, events);
  if (attempt === undefined) throw new Error("no attempt was recorded");
  return { result, attempt };
}

describe("certainFailure", () => {
  const action: CanaryAction = {
    type: "canary",
    traffic: { type: "run", command: "true" },
    steps: [100],
    url: { source: "http://x", parts: [{ text: "http://x" }] },
    baseline: null,
    requests: 20,
    intervalMs: 0,
    analysis: { maxErrorRate: 0.05, maxP95Ms: null, maxP95Ratio: 1.5, minP95DifferenceMs: 20 },
  };
  const withMax = { ...action, analysis: { ...action.analysis, maxP95Ms: 100 } };
  const ok = (ms: number) => ({ ok: true, ms, problem: null });
  const failed = { ok: false, ms: 1, problem: "status 500" };

  it("stops once more errors came than the rate allows of all the step's requests", () => {
    // 5% of 20 is 1 error: the second decides.
    expect(certainFailure([failed], withMax)).toBe(false);
    expect(certainFailure([failed, ok(1), failed], withMax)).toBe(true);
  });

  it("stops once more answers are slower than maxP95 than a p95 of 20 can hide", () => {
    // p95 of 20 by nearest rank is the 19th: one slow answer hides, two do not.
    expect(certainFailure([ok(500), ok(1)], withMax)).toBe(false);
    expect(certainFailure([ok(500), ok(1), ok(200)], withMax)).toBe(true);
    expect(certainFailure([ok(500), ok(200)], { ...withMax, analysis: action.analysis })).toBe(
      false,
    );
  });
});

describe("the canary action with a traffic command", () => {
  it("sets every step's weight and passes a good version", async () => {
    next.failEvery = 0;
    const weights = join(dir, "good.txt");
    const { result, attempt } = await promote(weights);
    expect(result.outcome, JSON.stringify(result.stages)).toBe("succeeded");
    expect((await readFile(weights, "utf8")).trim().split("\n")).toEqual(["1:25", "2:100"]);
    const canary = result.stages.find((s) => s.name === "canary");
    expect(canary?.attributes).toMatchObject({
      "canary.step1.verdict": "passed",
      "canary.step1.requests": 10,
      "canary.step2.verdict": "passed",
      "canary.baseline": old.url,
    });
    // servingAt is the canary's first good answer, recorded once, not the later probe's.
    expect(result.servingAt).not.toBeNull();
    expect(result.servingAt ?? 0).toBeLessThanOrEqual(canary?.endedAt ?? 0);
    expect(attempt.servingAt).toBe(result.servingAt);
    expect(attempt.dependencies.filter((d) => d.name === "inference_latency")).toHaveLength(1);
  });

  it("moves traffic back with CANARY_WEIGHT=0 and rolls back a failing version", async () => {
    next.failEvery = 3;
    const weights = join(dir, "bad.txt");
    const { result, attempt } = await promote(weights);
    expect(result.outcome).toBe("rolled_back");
    expect(result.rollback).toBe("succeeded");
    expect((await readFile(weights, "utf8")).trim().split("\n")).toEqual(["1:25", "0:0"]);
    const canary = result.stages.find((s) => s.name === "canary");
    expect(canary?.error).toMatch(
      /^step 1 \(25% of traffic\): error rate \d+% \(1 of [1-3]\) is above 5%; last: status 500.*; traffic moved back \(CANARY_WEIGHT=0\)$/,
    );
    expect(attempt.outcome).toBe("rolled_back");
    expect(result.stages.find((s) => s.name === "first-inference")).toBeUndefined();
  });

  it("does not run a stage when the gate denies, and records the attempt as cancelled", async () => {
    next.failEvery = 0;
    const weights = join(dir, "denied.txt");
    const { result, attempt } = await promote(weights, "", async () => ({
      decision: "deny",
      reasons: ["iris-prod: error budget exhausted"],
      where: "test",
    }));
    expect(result.outcome).toBe("cancelled");
    expect(result.gate).toMatchObject({ decision: "deny", where: "test" });
    expect(result.stages.map((s) => [s.name, s.status])).toEqual([
      ["gate", "failed"],
      ["canary", "skipped"],
    ]);
    await expect(readFile(weights, "utf8")).rejects.toThrow();
    expect(attempt.outcome).toBe("cancelled");
    expect(attempt.stages.find((s) => s.name === "gate")?.attributes.decision).toBe("deny");
  });

  it("fails closed when the gate cannot be asked", async () => {
    const { result } = await promote(join(dir, "unasked.txt"), "", async () => {
      throw new Error("connect ECONNREFUSED 127.0.0.1:1");
    });
    expect(result.outcome).toBe("cancelled");
    expect(result.gate).toMatchObject({
      decision: null,
      error: "connect ECONNREFUSED 127.0.0.1:1",
    });
  });

  it("records an allowed gate as a succeeded span before the stages", async () => {
    const { result } = await promote(join(dir, "allowed.txt"), "", async () => ({
      decision: "allow",
      reasons: ["no SLO selects iris in test"],
      where: "test",
    }));
    expect(result.outcome).toBe("succeeded");
    expect(result.stages[0]).toMatchObject({ name: "gate", status: "succeeded" });
  });
});
