import { readFileSync } from "node:fs";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../src/clock/clock.js";
import type { CoordinationOverheadJson } from "../../src/contract/coordination-overhead-schema.js";
import type { EnvironmentDriftJson } from "../../src/contract/environment-drift-schema.js";
import type { SimulationJson } from "../../src/contract/simulation-schema.js";
import type { StageBudgetsJson } from "../../src/contract/stage-budgets-schema.js";
import type { TailAttributionJson } from "../../src/contract/tail-attribution-schema.js";
import type { ThresholdRecommendationJson } from "../../src/contract/threshold-recommendation-schema.js";
import { parseSloSpecs } from "../../src/core/spec/parse-slo-specs.js";
import { loadSampleData } from "../../src/services/load-sample-data.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store.js";
import { runCliCaptured } from "../support/capture-io.js";
import { testServer } from "../support/test-server.js";

const SLOS = parseSloSpecs(readFileSync("examples/slos.yaml", "utf8"), "slos.yaml").slos;
const NOW = Date.parse("2026-10-31T00:00:00Z");

let store: Store;
let app: FastifyInstance;

beforeAll(async () => {
  store = await openStore(":memory:");
  await loadSampleData({
    ctx: { store, clock: { now: () => NOW, sleep: systemClock.sleep } },
    input: {},
  });
  ({ app } = await testServer(store, SLOS, { now: NOW }));
});

afterAll(async () => {
  await app.close();
  await store.close();
});

async function get<T>(url: string): Promise<T> {
  const response = await app.inject({ method: "GET", url });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as T;
}

async function problem(url: string): Promise<{ status: number; detail: string }> {
  const response = await app.inject({ method: "GET", url });
  return { status: response.statusCode, detail: (response.json() as { detail: string }).detail };
}

describe("GET /api/v1/insight/*", () => {
  it("recommends a threshold for an SLO's scope and target, with its reverse and a snippet", async () => {
    // Over the whole history: October alone (an incident, a failing upgrade) meets no 90%.
    const r = await get<ThresholdRecommendationJson>(
      "/api/v1/insight/recommendation?slo=staging-deploys&from=2026-09-01T00:00:00Z",
    );
    expect(r.target).toBe(0.9);
    expect(r.selector).toEqual(["environment=staging"]);
    expect(r.thresholdSeconds).not.toBeNull();
    expect(r.historicalCompliance ?? 0).toBeGreaterThanOrEqual(0.9);
    expect(r.reverse?.thresholdSeconds).toBe(600);
    expect(r.snippet).toContain("name: staging-deploys");
    expect(r.splits.map((s) => s.key)).toContain("start");
    const looser = await get<ThresholdRecommendationJson>(
      "/api/v1/insight/recommendation?selector=environment%3Dstaging&target=80%25&split=label:team",
    );
    expect(looser.thresholdSeconds ?? 0).toBeLessThan(r.thresholdSeconds ?? 0);
    expect(looser.splits.map((s) => s.key)).toEqual(["label:team"]);
  });

  it("attributes the tail with stages sorted by share and the canary never blamed", async () => {
    const r = await get<TailAttributionJson>("/api/v1/insight/tail?environment=production");
    const shares = r.stages.filter((s) => s.runsAfterEndPoint < s.runs).map((s) => s.share ?? 0);
    expect(shares).toEqual([...shares].sort((a, b) => b - a));
    expect(r.blamed?.stage).toBe(r.stages[0]?.stage);
    expect(r.stages.at(-1)?.stage).toBe("canary");
    expect(r.stages.find((s) => s.stage === "canary")?.onCriticalPath).toBe(0);
  });

  it("simulates a change reproducibly with a seed, and backtests", async () => {
    const url =
      "/api/v1/insight/simulation?slo=staging-deploys&change=stage:stage-artifacts*0.5&seed=3&resamples=200&holdoutFrom=2026-10-20T00:00:00Z";
    const first = await get<SimulationJson>(url);
    expect(await get<SimulationJson>(url)).toEqual(first);
    expect(first.thresholdSeconds).toBe(600);
    expect(first.predicted.p95.value ?? 0).toBeLessThanOrEqual(first.before.durations.p95 ?? 0);
    expect(first.backtest?.later.attempts).toBeGreaterThan(0);
  });

  it("measures hand-offs per team and per week", async () => {
    const r = await get<CoordinationOverheadJson>(
      "/api/v1/insight/handoffs?environment=production&bucket=7d",
    );
    expect(r.waitStages.map((s) => s.stage)).toEqual(["approval"]);
    expect(r.groups.map((g) => g.value)).toEqual(["genai", "growth", "risk", "vision"]);
    expect(r.trend.length).toBeGreaterThanOrEqual(4);
  });

  it("checks an SLO's stage budgets over its window, as the command does over the files", async () => {
    const r = await get<StageBudgetsJson>("/api/v1/insight/budgets?slo=staging-deploys");
    expect(r.from).toBe("2026-10-01T00:00:00.000Z");
    expect(r.to).toBe("2026-10-31T00:00:00.000Z");
    expect(r.stages.map((s) => s.stage)).toEqual([
      "validate",
      "health-check",
      "stage-artifacts",
      "provision",
      "shift-traffic",
    ]);
    expect(r.budgetSumSeconds).toBe(510);
    for (const s of r.stages) {
      expect(s.overran).toBeLessThanOrEqual(s.attempts);
      expect(s.breachingWithOverrun).toBeLessThanOrEqual(Math.min(s.overran, r.breaching));
    }
    const local = await runCliCaptured([
      "budgets",
      "-c",
      "examples/slos.yaml",
      "--slo",
      "staging-deploys",
      "-d",
      "examples/history.ndjson",
      "--to",
      "2026-10-31T00:00:00Z",
      "--format",
      "json",
    ]);
    expect(local.exitCode, local.stderr).toBe(0);
    expect({ ...JSON.parse(local.stdout), complete: true }).toEqual({ ...r, complete: true });
    // An SLO without budgets has nothing to report: no stages.
    const none = await get<StageBudgetsJson>("/api/v1/insight/budgets?slo=prod-deploys");
    expect(none.stages).toEqual([]);
    expect(none.criticalPath).toBeNull();
    expect(await problem("/api/v1/insight/budgets")).toMatchObject({ status: 400 });
    expect(await problem("/api/v1/insight/budgets?slo=nope")).toMatchObject({ status: 404 });
  });

  it("finds the sample's runtime upgrade, and not its image rebuild", async () => {
    const r = await get<EnvironmentDriftJson>(
      "/api/v1/insight/drift?from=2026-09-01T00:00:00Z&compare=100",
    );
    expect(r.attempts).toBe(2204);
    const flagged = r.changes.filter((c) => c.coincides);
    // The generator upgrades the image tagger at 09:00 on Oct 18 (staging) and Oct 19
    // (production): each change is the first attempt started after it.
    expect(flagged.map((c) => [c.model, c.environment, c.at.slice(0, 10)])).toEqual([
      ["image-tagger", "staging", "2026-10-18"],
      ["image-tagger", "production", "2026-10-19"],
    ]);
    for (const c of flagged) {
      expect(c.failureRate.significant).toBe(true);
      expect(c.changed.map((k) => k.key)).toContain("runtime.version");
      expect(c.after.failureRate ?? 0).toBeGreaterThan(2 * (c.before.failureRate ?? 1));
    }
    const rebuilds = r.changes.filter((c) => c.model === "fraud-detector");
    expect(rebuilds).toHaveLength(2);
    expect(rebuilds.every((c) => !c.coincides)).toBe(true);
    expect(rebuilds[0]?.changed.map((k) => k.key)).toEqual(["image.digest"]);
    expect(r.mismatches.differences.map((d) => [d.key, d.against, d.serving, d.reference])).toEqual(
      [["cuda.version", "trained", "12.1", "12.4"]],
    );
    expect(r.mismatches.attempts.every((a) => a.model === "llm-assistant")).toBe(true);
    for (const [query, field] of [
      ["alpha=2", "alpha"],
      ["compare=0", "compare"],
    ]) {
      const response = await app.inject({ method: "GET", url: `/api/v1/insight/drift?${query}` });
      expect(response.statusCode).toBe(400);
      expect((response.json() as { errors?: string[] }).errors?.join("\n")).toContain(field);
    }
  });

  it("answers the commands' --server with what the routes return", async () => {
    const address = await app.listen({ port: 0, host: "127.0.0.1" });
    const tail = await runCliCaptured([
      "tail",
      "--server",
      address,
      "--selector",
      "environment=production",
      "--format",
      "json",
    ]);
    expect(tail.exitCode, tail.stderr).toBe(0);
    expect(JSON.parse(tail.stdout)).toEqual(
      await get("/api/v1/insight/tail?selector=environment%3Dproduction"),
    );
    const simulate = await runCliCaptured([
      "simulate",
      "--server",
      address,
      "--slo",
      "staging-deploys",
      "--change",
      "stage:provision*0.5",
      "--seed",
      "4",
      "--resamples",
      "50",
    ]);
    expect(simulate.exitCode, simulate.stderr).toBe(0);
    expect(simulate.stdout).toContain("changes: stage:provision*0.5");
    const budgets = await runCliCaptured([
      "budgets",
      "--server",
      address,
      "--slo",
      "staging-deploys",
      "--format",
      "json",
    ]);
    expect(budgets.exitCode, budgets.stderr).toBe(0);
    expect(JSON.parse(budgets.stdout)).toEqual(
      await get("/api/v1/insight/budgets?slo=staging-deploys"),
    );
    const plain = await runCliCaptured(["budgets", "--server", address, "--slo", "prod-deploys"]);
    expect(plain.exitCode).toBe(2);
    expect(plain.stderr).toContain('SLO "prod-deploys" has no spec.stageBudgets');
    const drift = await runCliCaptured([
      "drift",
      "--server",
      address,
      "--selector",
      "model=image-tagger",
      "--compare",
      "50",
      "--format",
      "json",
    ]);
    expect(drift.exitCode, drift.stderr).toBe(0);
    expect(JSON.parse(drift.stdout)).toEqual(
      await get("/api/v1/insight/drift?selector=model%3Dimage-tagger&compare=50"),
    );
    // Checked here before asking; what only the server knows, it answers.
    const local = await runCliCaptured(["recommend", "--server", address, "--target", "150%"]);
    expect(local.exitCode).toBe(2);
    const unknown = await runCliCaptured(["tail", "--server", address, "--slo", "nope"]);
    expect(unknown.exitCode).not.toBe(0);
    expect(unknown.stderr).toContain('no SLO named "nope"');
  });

  it("refuses bad parameters with a 400 naming the field", async () => {
    expect(await problem("/api/v1/insight/recommendation?target=120%25")).toMatchObject({
      status: 400,
      detail: expect.stringContaining("target"),
    });
    expect(await problem("/api/v1/insight/recommendation?split=colour")).toMatchObject({
      status: 400,
      detail: expect.stringContaining("split"),
    });
    expect(await problem("/api/v1/insight/tail?selector=team")).toMatchObject({
      status: 400,
      detail: expect.stringContaining("selector"),
    });
    expect(
      await problem("/api/v1/insight/simulation?threshold=10m&change=stage:x/2"),
    ).toMatchObject({ status: 400, detail: expect.stringContaining("change") });
    expect(await problem("/api/v1/insight/simulation?threshold=10m")).toMatchObject({
      status: 400,
    });
    expect(await problem("/api/v1/insight/simulation?change=stage:validate*0.5")).toMatchObject({
      status: 400,
      detail: expect.stringContaining("threshold"),
    });
    expect(await problem("/api/v1/insight/handoffs?bucket=1ms")).toMatchObject({
      status: 400,
      detail: expect.stringContaining("bucket"),
    });
    expect(await problem("/api/v1/insight/tail?slo=nope")).toMatchObject({ status: 404 });
    expect(await problem("/api/v1/insight/recommendation?slo=cpu-provision")).toMatchObject({
      status: 400,
      detail: expect.stringContaining("the stage provision"),
    });
    expect(
      await problem("/api/v1/insight/tail?slo=prod-deploys&selector=team%3Drisk"),
    ).toMatchObject({ status: 400 });
  });
});
