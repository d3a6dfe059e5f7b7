import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSloSpecs } from "../../src/core/spec/parse-slo-specs.js";
import { attemptBatchDecoder } from "../../src/ingest/attempt-batch-decoder.js";
import { EventWriter } from "../../src/ingest/event-writer.js";
import { authorizer } from "../../src/server/auth.js";
import { buildServer } from "../../src/server/build-server.js";
import { DEFAULT_BODY_LIMIT } from "../../src/server/server-config.js";
import { sloMetrics } from "../../src/server/slo-metrics.js";
import { loadSampleData } from "../../src/services/load-sample-data.js";
import { SloEngine } from "../../src/services/slo-engine.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store.js";

const SLOS = parseSloSpecs(readFileSync("examples/slos.yaml", "utf8"), "slos.yaml").slos;
const NOW = Date.parse("2026-10-31T00:00:00Z");

let store: Store;
let app: FastifyInstance;
let root: string;

beforeAll(async () => {
  store = await openStore(":memory:");
  await loadSampleData(store, NOW);
  const engine = new SloEngine(store, SLOS);
  await engine.refresh();
  root = mkdtempSync(join(tmpdir(), "deployslo-web-"));
  mkdirSync(join(root, "assets"));
  writeFileSync(join(root, "index.html"), "<!doctype html><title>deployslo</title>");
  writeFileSync(join(root, "assets", "app-abc123.js"), "console.log(1)");
  writeFileSync(join(root, "..", "secret.txt"), "do not serve");
  app = await buildServer(
    {
      config: {
        host: "127.0.0.1",
        port: 0,
        bodyLimitBytes: DEFAULT_BODY_LIMIT,
        tokens: [],
        insecure: false,
      },
      store,
      engine,
      events: new EventWriter(store),
      attemptBatches: attemptBatchDecoder({ workers: 0 }),
      authorize: authorizer([{ name: "reader", token: "secret-reader", role: "read" }]),
      metrics: sloMetrics(() => engine.status(NOW)),
      now: () => NOW,
      newId: () => randomUUID(),
      ready: () => true,
    },
    { dashboardRoot: root },
  );
}, 60_000);
afterAll(async () => {
  await app.close();
  await store.close();
});

const AUTH = { authorization: "Bearer secret-reader" };
async function get<T>(url: string): Promise<T> {
  const res = await app.inject({ method: "GET", url, headers: AUTH });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as T;
}

interface OverviewJson {
  slos: {
    name: string;
    state: string;
    eligible: number;
    selector: { environment: string | null };
  }[];
  models: string[];
  environments: string[];
  inProgress: { id: string; elapsedSeconds: number; thresholdSeconds: number | null }[];
}

describe("dashboard API", () => {
  it("gives every SLO with its state, the scope values and the attempts in progress", async () => {
    const overview = await get<OverviewJson>("/api/v1/overview");
    const status = await get<{ slos: { name: string; eligible: number }[] }>("/api/v1/slos");
    expect(overview.slos.map((slo) => [slo.name, slo.eligible])).toEqual(
      status.slos.map((slo) => [slo.name, slo.eligible]),
    );
    expect(overview.slos.find((slo) => slo.name === "staging-deploys")?.state).toBe("exhausted");
    expect(overview.environments).toEqual(["production", "staging"]);
    expect(overview.inProgress.length).toBeGreaterThan(0);
    for (const attempt of overview.inProgress)
      expect(attempt.elapsedSeconds).toBeGreaterThanOrEqual(0);
  });

  it("filters SLOs by environment through their selectors", async () => {
    const overview = await get<OverviewJson>("/api/v1/overview?environment=staging");
    expect(overview.slos.length).toBeGreaterThan(0);
    for (const slo of overview.slos) expect(slo.selector.environment).not.toBe("production");
    expect(overview.slos.map((slo) => slo.name)).not.toContain("prod-deploys");
  });

  it("bins exactly the attempts the SLO counts", async () => {
    const { slo } = await get<{ slo: { eligible: number } }>("/api/v1/slos/prod-deploys?points=2");
    const histogram = await get<{
      counts: number[];
      overflow: number;
      withoutDuration: number;
      total: number;
    }>("/api/v1/slos/prod-deploys/histogram");
    expect(histogram.counts.reduce((a, b) => a + b, 0) + histogram.overflow).toBe(histogram.total);
    expect(histogram.total + histogram.withoutDuration).toBe(slo.eligible);
  });

  it("lists an SLO's newest attempts with the slowest stage", async () => {
    const { attempts } = await get<{
      attempts: { environment: string; slowestStage: { name: string } | null; startedAt: string }[];
    }>("/api/v1/slos/prod-deploys/attempts?limit=5");
    expect(attempts).toHaveLength(5);
    for (const attempt of attempts) expect(attempt.environment).toBe("production");
    expect(attempts[0]?.slowestStage).not.toBeNull();
    const starts = attempts.map((a) => Date.parse(a.startedAt));
    expect([...starts].sort((a, b) => b - a)).toEqual(starts);
  });

  it("gives stage statistics with tail attribution", async () => {
    const stats = await get<{
      attempts: number;
      stages: { stage: string; p50: number | null; p99: number | null; share: number | null }[];
      betweenStages: { share: number | null };
    }>("/api/v1/stages?environment=staging");
    expect(stats.attempts).toBeGreaterThan(0);
    expect(stats.stages.map((s) => s.stage)).toContain("provision");
    // With the time between stages, the parts add up to the slow attempts' extra time.
    const shares = stats.stages.reduce(
      (sum, s) => sum + (s.share ?? 0),
      stats.betweenStages.share ?? 0,
    );
    expect(shares).toBeCloseTo(1, 9);
  });

  it("gives an attempt's trace with its critical path and thresholds", async () => {
    const { attempts } = await get<{ attempts: { id: string }[] }>(
      "/api/v1/slos/prod-deploys/attempts?limit=1",
    );
    const trace = await get<{
      attempt: { stages: unknown[] };
      criticalPath: number[];
      slos: { name: string; thresholdSeconds: number }[];
    }>(`/api/v1/attempts/${attempts[0]?.id}/trace`);
    expect(trace.criticalPath.length).toBeGreaterThan(0);
    expect(trace.slos).toContainEqual({ name: "prod-deploys", thresholdSeconds: 3600 });
    const missing = await app.inject({
      method: "GET",
      url: "/api/v1/attempts/nope/trace",
      headers: AUTH,
    });
    expect(missing.statusCode).toBe(404);
  });

  it("keeps the API's token rules and lists the endpoints in the OpenAPI document", async () => {
    const res = await app.inject({ method: "GET", url: "/api/v1/overview" });
    expect(res.statusCode).toBe(401);
    const doc = await get<{ paths: Record<string, unknown> }>("/api/openapi.json");
    for (const path of [
      "/api/v1/overview",
      "/api/v1/stages",
      "/api/v1/slos/{name}/histogram",
      "/api/v1/slos/{name}/attempts",
      "/api/v1/attempts/{id}/trace",
    ])
      expect(Object.keys(doc.paths)).toContain(path);
  });
});

describe("dashboard static files", () => {
  it("serves index.html at / and for client routes, without a token", async () => {
    for (const url of ["/", "/slos/prod-deploys", "/attempts/x?range=7d"]) {
      const res = await app.inject({ method: "GET", url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers["content-type"]).toBe("text/html; charset=utf-8");
      expect(res.headers["cache-control"]).toBe("no-cache");
    }
  });

  it("serves hashed assets with their type and a long cache", async () => {
    const res = await app.inject({ method: "GET", url: "/assets/app-abc123.js" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(res.headers["cache-control"]).toContain("immutable");
  });

  it("never serves files outside its directory", async () => {
    for (const url of [
      "/../secret.txt",
      "/assets/../../secret.txt",
      "/%2e%2e/secret.txt",
      "/assets/%2e%2e%2f%2e%2e%2fsecret.txt",
      "/..%5csecret.txt",
      "/assets/missing.js",
      "/%E0%A4%A.js",
    ]) {
      const res = await app.inject({ method: "GET", url });
      // A malformed escape is refused by Fastify itself (400) before reaching the route.
      expect([400, 404], url).toContain(res.statusCode);
      expect(res.body).not.toContain("do not serve");
    }
  });

  it("leaves unknown API paths as API 404s", async () => {
    const res = await app.inject({ method: "GET", url: "/api/v1/nothing", headers: AUTH });
    expect(res.statusCode).toBe(404);
    expect(res.headers["content-type"]).toContain("application/problem+json");
  });
});
