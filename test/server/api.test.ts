import { readFileSync } from "node:fs";
import type { FastifyInstance } from "fastify";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseSloSpecs } from "../../src/core/spec/parse-slo-specs.js";
import { attemptBatchDecoder, INLINE_BELOW_BYTES } from "../../src/ingest/attempt-batch-decoder.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store.js";
import { testServer } from "../support/test-server.js";

const SLOS = parseSloSpecs(readFileSync("test/fixtures/slos.yaml", "utf8"), "slos.yaml").slos;
const FIXTURE = readFileSync("test/fixtures/attempts.ndjson", "utf8");
const NDJSON = { "content-type": "application/x-ndjson" };
const BUILT_WORKER = new URL("../../dist/ingest/attempt-batch-worker.js", import.meta.url);

const record = (id: string, fields: Record<string, unknown> = {}) => ({
  id,
  model: "fraud-detector",
  version: "1",
  environment: "production",
  startedAt: "2026-10-14T09:00:00Z",
  servingAt: "2026-10-14T09:01:00Z",
  ...fields,
});

let store: Store;
let app: FastifyInstance;

beforeEach(async () => {
  store = await openStore(":memory:");
  ({ app } = await testServer(store, SLOS));
});
afterEach(async () => {
  await app.close();
  await store.close();
});

async function count(): Promise<number> {
  const res = await app.inject({ method: "GET", url: "/api/v1/attempts?limit=1000" });
  return (res.json() as { attempts: unknown[] }).attempts.length;
}

describe("POST /api/v1/attempts", () => {
  it("takes NDJSON and answers the same JSON as deployslo evaluate for the same data", async () => {
    const posted = await app.inject({
      method: "POST",
      url: "/api/v1/attempts",
      headers: NDJSON,
      payload: FIXTURE,
    });
    expect(posted.statusCode).toBe(200);
    expect(posted.json()).toEqual({ accepted: 11, inserted: 11, updated: 0 });
    const status = await app.inject({ method: "GET", url: "/api/v1/slos?at=2026-10-14T09:30:00Z" });
    expect(status.statusCode).toBe(200);
    expect(status.json()).toEqual(
      JSON.parse(readFileSync("test/golden/evaluate-fixture-json.stdout", "utf8")),
    );
  });

  it("takes one record or an array, and upserts by id", async () => {
    const one = await app.inject({ method: "POST", url: "/api/v1/attempts", payload: record("a") });
    expect(one.json()).toEqual({ accepted: 1, inserted: 1, updated: 0 });
    const again = await app.inject({
      method: "POST",
      url: "/api/v1/attempts",
      payload: [record("a"), record("b")],
    });
    expect(again.json()).toEqual({ accepted: 2, inserted: 1, updated: 1 });
    expect(await count()).toBe(2);
  });

  it("rejects a batch with an invalid record, naming index and field, and stores nothing", async () => {
    const res = await app.inject({
      method: "POST",
      url: "/api/v1/attempts",
      payload: [record("ok"), record("bad", { servingAt: "2026-10-14T08:00:00Z" }), { id: "x" }],
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers["content-type"]).toContain("application/problem+json");
    expect(res.json()).toMatchObject({
      status: 400,
      code: "RECORD_INVALID",
      errors: expect.arrayContaining([
        "[1]: servingAt is before startedAt",
        "[2]: model is required",
      ]),
    });
    expect(await count()).toBe(0);
  });

  it("keeps what was stored when a later request is rejected", async () => {
    await app.inject({ method: "POST", url: "/api/v1/attempts", payload: record("keep") });
    await app.inject({
      method: "POST",
      url: "/api/v1/attempts",
      payload: [record("keep", { model: "" })],
    });
    const res = await app.inject({ method: "GET", url: "/api/v1/attempts/keep" });
    expect(res.json()).toMatchObject({ id: "keep", model: "fraud-detector" });
  });

  it.each([
    ["malformed JSON", { "content-type": "application/json" }, '{"id": ', 400, "INVALID_REQUEST"],
    [
      "an NDJSON line that is not JSON",
      NDJSON,
      `${JSON.stringify(record("a"))}\n{nope\n`,
      400,
      "INVALID_REQUEST",
    ],
    ["an empty array", { "content-type": "application/json" }, "[]", 400, "RECORD_INVALID"],
    ["a string body", { "content-type": "application/json" }, '"hello"', 400, "RECORD_INVALID"],
    [
      "an unknown content type",
      { "content-type": "text/plain" },
      "hi",
      415,
      "UNSUPPORTED_MEDIA_TYPE",
    ],
  ])("answers %s with %i", async (_name, headers, payload, status, code) => {
    const res = await app.inject({ method: "POST", url: "/api/v1/attempts", headers, payload });
    expect(res.statusCode).toBe(status);
    expect(res.json()).toMatchObject({ status, code });
  });

  it("answers 413 for a body over the limit", async () => {
    const small = await testServer(store, SLOS, { bodyLimitBytes: 1024 });
    const res = await small.app.inject({
      method: "POST",
      url: "/api/v1/attempts",
      payload: Array.from({ length: 50 }, (_, i) => record(`r${i}`)),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
    await small.app.close();
  });

  it("answers 413 for more than 10,000 records", async () => {
    const res = await app.inject({
      method: "POST",
      url: "/api/v1/attempts",
      payload: Array.from({ length: 10_001 }, (_, i) => record(`r${i}`)),
    });
    expect(res.statusCode).toBe(413);
  });

  it("decodes large bodies on worker threads: the same attempts, the same all-or-nothing", async () => {
    const decoder = attemptBatchDecoder({ workers: 1, workerUrl: BUILT_WORKER });
    const pooled = await testServer(store, SLOS, { attemptBatches: decoder });
    try {
      const lines = Array.from({ length: 600 }, (_, i) =>
        JSON.stringify(record(`big-${i}`, { labels: { team: `équipe-${i % 7} 🚀` } })),
      );
      expect(lines.join("\n").length).toBeGreaterThan(INLINE_BELOW_BYTES);
      const bad = [...lines.slice(0, 599), JSON.stringify(record("big-599", { servingAt: "x" }))];
      const rejected = await pooled.app.inject({
        method: "POST",
        url: "/api/v1/attempts",
        headers: NDJSON,
        payload: bad.join("\n"),
      });
      expect(rejected.statusCode).toBe(400);
      expect(rejected.json()).toMatchObject({
        code: "RECORD_INVALID",
        errors: [expect.stringMatching(/^line 600: servingAt/)],
      });
      expect(await count()).toBe(0);
      const accepted = await pooled.app.inject({
        method: "POST",
        url: "/api/v1/attempts",
        headers: NDJSON,
        payload: lines.join("\n"),
      });
      expect(accepted.json()).toEqual({ accepted: 600, inserted: 600, updated: 0 });
      const stored = await pooled.app.inject({ method: "GET", url: "/api/v1/attempts/big-13" });
      expect(stored.json()).toMatchObject({ id: "big-13", labels: { team: "équipe-6 🚀" } });
    } finally {
      await pooled.app.close();
      await decoder.close();
    }
  });
});

describe("POST /api/v1/events", () => {
  const events = [
    {
      id: "e3",
      type: "stage.finished",
      attemptId: "ev-1",
      at: "2026-10-14T09:02:00Z",
      stage: "provision",
      startedAt: "2026-10-14T09:00:30Z",
    },
    { id: "e4", type: "attempt.serving", attemptId: "ev-1", at: "2026-10-14T09:03:00Z" },
    {
      id: "e1",
      type: "attempt.started",
      attemptId: "ev-1",
      at: "2026-10-14T09:00:00Z",
      model: "fraud-detector",
      version: "9",
      environment: "production",
      labels: { team: "risk" },
    },
    {
      id: "e5",
      type: "dependency.measured",
      attemptId: "ev-1",
      name: "registry_pull",
      seconds: 12.5,
    },
    {
      id: "e6",
      type: "attempt.finished",
      attemptId: "ev-1",
      at: "2026-10-14T09:03:10Z",
      outcome: "succeeded",
    },
  ];

  it("builds the attempt from events sent out of order, one request at a time", async () => {
    for (const event of events) {
      const res = await app.inject({ method: "POST", url: "/api/v1/events", payload: event });
      expect(res.statusCode).toBe(200);
    }
    const res = await app.inject({ method: "GET", url: "/api/v1/attempts/ev-1" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      id: "ev-1",
      version: "9",
      startedAt: "2026-10-14T09:00:00.000Z",
      servingAt: "2026-10-14T09:03:00.000Z",
      endedAt: "2026-10-14T09:03:10.000Z",
      outcome: "succeeded",
      stages: [
        {
          name: "provision",
          startedAt: "2026-10-14T09:00:30.000Z",
          endedAt: "2026-10-14T09:02:00.000Z",
          status: "succeeded",
        },
      ],
      dependencies: [{ name: "registry_pull", seconds: 12.5 }],
    });
  });

  it("acknowledges and ignores a repeated event id", async () => {
    const first = await app.inject({ method: "POST", url: "/api/v1/events", payload: events });
    expect(first.json()).toMatchObject({ accepted: 5, duplicates: 0 });
    const again = await app.inject({ method: "POST", url: "/api/v1/events", payload: events });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ accepted: 0, duplicates: 5 });
  });

  it("rejects an invalid event with its index and field, storing nothing of the request", async () => {
    const res = await app.inject({
      method: "POST",
      url: "/api/v1/events",
      payload: [
        events[2],
        { type: "attempt.exploded", attemptId: "ev-1", at: "2026-10-14T09:00:00Z" },
      ],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: "EVENT_INVALID" });
    expect((res.json() as { errors: string[] }).errors[0]).toMatch(/^\[1\]: /);
    expect((await app.inject({ method: "GET", url: "/api/v1/attempts/ev-1" })).statusCode).toBe(
      404,
    );
  });
});

describe("GET /api/v1/attempts", () => {
  beforeEach(async () => {
    await app.inject({
      method: "POST",
      url: "/api/v1/attempts",
      headers: NDJSON,
      payload: FIXTURE,
    });
  });

  it("filters by model, environment, outcome and time range", async () => {
    const get = async (query: string) =>
      (
        (await app.inject({ method: "GET", url: `/api/v1/attempts?${query}` })).json() as {
          attempts: { id: string }[];
        }
      ).attempts.map((a) => a.id);
    expect(await get("model=churn-predictor")).toEqual(["a6", "a5", "a4"]);
    expect(await get("environment=staging")).toEqual(["a8", "a6"]);
    expect(await get("outcome=failed")).toEqual(["a4"]);
    expect(await get("version=2&model=llm-assistant")).toEqual(["a9"]);
    expect(await get("from=2026-10-14T09:20:00Z&to=2026-10-14T10:00:00Z")).toEqual(["a10", "a9"]);
  });

  it("pages newest first without gaps or repeats", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/attempts?limit=4${cursor === null ? "" : `&cursor=${cursor}`}`;
      const page = (await app.inject({ method: "GET", url })).json() as {
        attempts: { id: string }[];
        nextCursor: string | null;
      };
      seen.push(...page.attempts.map((a) => a.id));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(seen).toHaveLength(11);
    expect(new Set(seen).size).toBe(11);
    expect(seen[0]).toBe("a11");
  });

  it.each([
    "limit=0",
    "limit=1001",
    "limit=ten",
    "outcome=exploded",
    "from=yesterday",
    "cursor=not-a-cursor",
  ])("answers 400 for %s", async (query) => {
    const res = await app.inject({ method: "GET", url: `/api/v1/attempts?${query}` });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ status: 400, code: "INVALID_REQUEST" });
  });

  it("answers 404 for an unknown attempt", async () => {
    const res = await app.inject({ method: "GET", url: "/api/v1/attempts/nope" });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("GET /api/v1/slos/{name}", () => {
  it("returns the status and a history with the requested resolution", async () => {
    await app.inject({
      method: "POST",
      url: "/api/v1/attempts",
      headers: NDJSON,
      payload: FIXTURE,
    });
    const res = await app.inject({
      method: "GET",
      url: "/api/v1/slos/prod-deploys?at=2026-10-14T09:30:00Z&points=8",
    });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { slo: { bad: number }; history: { at: string; bad: number }[] };
    expect(body.slo.bad).toBe(5);
    expect(body.history).toHaveLength(8);
    expect(body.history[7]?.at).toBe("2026-10-14T09:30:00.000Z");
    expect(body.history[0]?.at).toBe("2026-10-07T09:30:00.000Z");
    expect(body.history[7]?.bad).toBe(5);
    expect(body.history[0]?.bad).toBe(0);
  });

  it("answers 404 for an unknown SLO and 400 for a bad resolution", async () => {
    expect((await app.inject({ method: "GET", url: "/api/v1/slos/nope" })).statusCode).toBe(404);
    expect(
      (await app.inject({ method: "GET", url: "/api/v1/slos/prod-deploys?points=1" })).statusCode,
    ).toBe(400);
    expect((await app.inject({ method: "GET", url: "/api/v1/slos?at=noon" })).statusCode).toBe(400);
  });
});

describe("operations", () => {
  it("answers unknown routes with a 404 problem", async () => {
    const res = await app.inject({ method: "DELETE", url: "/api/v1/everything" });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({
      code: "NOT_FOUND",
      detail: "no route DELETE /api/v1/everything",
    });
  });

  it("serves health, readiness and Prometheus metrics", async () => {
    await app.inject({
      method: "POST",
      url: "/api/v1/attempts",
      headers: NDJSON,
      payload: FIXTURE,
    });
    expect((await app.inject({ method: "GET", url: "/healthz" })).json()).toEqual({ status: "ok" });
    expect((await app.inject({ method: "GET", url: "/readyz" })).json()).toEqual({
      status: "ready",
      database: true,
      loaded: true,
    });
    const metrics = (await app.inject({ method: "GET", url: "/metrics" })).body;
    expect(metrics).toContain('deployslo_slo_bad_attempts{slo="prod-deploys"} 5');
    expect(metrics).toContain('deployslo_slo_burn_rate{slo="prod-deploys",window="1h"} 10');
    // Every verdict over the stored history: the fixture lies inside the 7-day window.
    expect(metrics).toContain('deployslo_slo_verdicts_total{slo="prod-deploys",verdict="bad"} 5');
    expect(metrics).toContain('deployslo_slo_verdicts_total{slo="prod-deploys",verdict="good"} 2');
    expect(metrics).toContain("deployslo_process_cpu_user_seconds_total");
  });

  it("publishes an OpenAPI document of every API route", async () => {
    const doc = (await app.inject({ method: "GET", url: "/api/openapi.json" })).json() as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths).sort()).toEqual([
      "/api/v1/alerts",
      "/api/v1/approvals",
      "/api/v1/attempts",
      "/api/v1/attempts/{id}",
      "/api/v1/attempts/{id}/trace",
      "/api/v1/audit",
      "/api/v1/events",
      "/api/v1/gate",
      "/api/v1/gate/flagger",
      "/api/v1/hooks/{source}",
      "/api/v1/insight/budgets",
      "/api/v1/insight/drift",
      "/api/v1/insight/handoffs",
      "/api/v1/insight/recommendation",
      "/api/v1/insight/simulation",
      "/api/v1/insight/tail",
      "/api/v1/notifications",
      "/api/v1/overview",
      "/api/v1/reports",
      "/api/v1/slos",
      "/api/v1/slos/{name}",
      "/api/v1/slos/{name}/attempts",
      "/api/v1/slos/{name}/histogram",
      "/api/v1/stages",
      "/v1/traces",
    ]);
    const post = JSON.stringify(doc.paths["/api/v1/attempts"]?.post);
    expect(post).toContain("application/x-ndjson");
    expect(JSON.stringify(doc.components.schemas)).toContain("servingAt");
  });
});
