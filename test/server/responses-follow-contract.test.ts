import { readFileSync } from "node:fs";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../src/clock/clock.js";
import { ProblemSchema } from "../../src/contract/problem-schema.js";
import { parseSloSpecs } from "../../src/core/spec/parse-slo-specs.js";
import { loadSampleData } from "../../src/services/load-sample-data.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store.js";
import { testServer } from "../support/test-server.js";

/*
 * testServer checks every answer against its route's response schema from src/contract and
 * turns one that does not parse into a 500. Here every operation of the OpenAPI document is
 * called on the sample history, so each route's answer is checked at least once.
 */

const SLOS = parseSloSpecs(readFileSync("examples/slos.yaml", "utf8"), "slos.yaml").slos;
const NOW = Date.parse("2026-10-31T00:00:00Z");
const AT = "2026-10-30T12:00:00.000Z";

let store: Store;
let app: FastifyInstance;
let attemptId: string;

beforeAll(async () => {
  store = await openStore(":memory:");
  await loadSampleData({
    ctx: { store, clock: { now: () => NOW, sleep: systemClock.sleep } },
    input: {},
  });
  ({ app } = await testServer(store, SLOS, { now: NOW }));
  const page = await app.inject({ method: "GET", url: "/api/v1/attempts?limit=1" });
  attemptId = (page.json() as { attempts: { id: string }[] }).attempts[0]?.id ?? "";
}, 60_000);

afterAll(async () => {
  await app.close();
  await store.close();
});

const record = {
  id: "contract-1",
  model: "fraud-detector",
  version: 3,
  environment: "production",
  startedAt: AT,
  servingAt: "2026-10-30T12:04:00Z",
  stages: [{ name: "validate", startedAt: AT, endedAt: "2026-10-30T12:01:00Z" }],
};
const event = {
  type: "attempt.started",
  attemptId: "contract-2",
  at: AT,
  model: "m",
  version: "1",
  environment: "e",
};

const span = (spanId: string, attributes: { key: string; value: { stringValue: string } }[]) => ({
  traceId: "5b8efff798038103d269b633813fc60c",
  spanId,
  name: "RUN deploy",
  startTimeUnixNano: "1793361600000000000",
  endTimeUnixNano: "1793361660000000000",
  attributes,
});
/** A pipeline run with a model (accepted) and one without (rejected): a partial success. */
const otlpRequest = {
  resourceSpans: [
    {
      resource: {
        attributes: [{ key: "deployment.environment.name", value: { stringValue: "production" } }],
      },
      scopeSpans: [
        {
          spans: [
            span("eee19b7ec3c1b174", [
              { key: "cicd.pipeline.result", value: { stringValue: "success" } },
              { key: "deployslo.model", value: { stringValue: "m" } },
              { key: "deployslo.model.version", value: { stringValue: "1" } },
            ]),
            span("eee19b7ec3c1b175", [
              { key: "cicd.pipeline.result", value: { stringValue: "success" } },
            ]),
          ],
        },
      ],
    },
  ],
};

/** One request per operation of the OpenAPI document, by "METHOD path". */
const REQUESTS: Record<string, () => { method: "GET" | "POST"; url: string; payload?: string }> = {
  "GET /api/v1/alerts": () => ({ method: "GET", url: "/api/v1/alerts?transitions=5" }),
  "POST /api/v1/attempts": () => ({
    method: "POST",
    url: "/api/v1/attempts",
    payload: JSON.stringify(record),
  }),
  "GET /api/v1/attempts": () => ({ method: "GET", url: "/api/v1/attempts?limit=20" }),
  "GET /api/v1/attempts/{id}": () => ({ method: "GET", url: `/api/v1/attempts/${attemptId}` }),
  "GET /api/v1/attempts/{id}/trace": () => ({
    method: "GET",
    url: `/api/v1/attempts/${attemptId}/trace`,
  }),
  "POST /api/v1/events": () => ({
    method: "POST",
    url: "/api/v1/events",
    payload: JSON.stringify(event),
  }),
  "POST /v1/traces": () => ({
    method: "POST",
    url: "/v1/traces",
    payload: JSON.stringify(otlpRequest),
  }),
  "GET /api/v1/notifications": () => ({ method: "GET", url: "/api/v1/notifications" }),
  "GET /api/v1/overview": () => ({ method: "GET", url: "/api/v1/overview" }),
  "GET /api/v1/slos": () => ({ method: "GET", url: "/api/v1/slos" }),
  "GET /api/v1/slos/{name}": () => ({ method: "GET", url: "/api/v1/slos/prod-deploys?points=5" }),
  "GET /api/v1/slos/{name}/attempts": () => ({
    method: "GET",
    url: "/api/v1/slos/prod-deploys/attempts",
  }),
  "GET /api/v1/slos/{name}/histogram": () => ({
    method: "GET",
    url: "/api/v1/slos/prod-deploys/histogram",
  }),
  "GET /api/v1/stages": () => ({ method: "GET", url: "/api/v1/stages?slo=prod-deploys" }),
  "GET /api/v1/insight/recommendation": () => ({
    method: "GET",
    url: "/api/v1/insight/recommendation?slo=prod-deploys&threshold=30m",
  }),
  "GET /api/v1/insight/tail": () => ({
    method: "GET",
    url: "/api/v1/insight/tail?slo=prod-deploys",
  }),
  "GET /api/v1/insight/simulation": () => ({
    method: "GET",
    url: "/api/v1/insight/simulation?slo=prod-deploys&change=parallel:validate,approval&seed=1&resamples=50",
  }),
  "GET /api/v1/insight/handoffs": () => ({ method: "GET", url: "/api/v1/insight/handoffs" }),
  "GET /api/v1/insight/budgets": () => ({
    method: "GET",
    url: "/api/v1/insight/budgets?slo=staging-deploys",
  }),
  "GET /api/v1/insight/drift": () => ({ method: "GET", url: "/api/v1/insight/drift" }),
  "GET /api/v1/reports": () => ({ method: "GET", url: "/api/v1/reports?period=2026-10&slowest=2" }),
  "POST /api/v1/gate": () => ({
    method: "POST",
    url: "/api/v1/gate",
    payload: JSON.stringify({ model: "fraud-detector", environment: "production" }),
  }),
  "GET /api/v1/gate": () => ({
    method: "GET",
    url: "/api/v1/gate?model=fraud-detector&environment=production&change=hotfix",
  }),
  "POST /api/v1/gate/flagger": () => ({
    method: "POST",
    url: "/api/v1/gate/flagger",
    payload: JSON.stringify({ name: "fraud-detector", namespace: "production" }),
  }),
  "POST /api/v1/approvals": () => ({
    method: "POST",
    url: "/api/v1/approvals",
    payload: JSON.stringify({
      model: "fraud-detector",
      environment: "production",
      reason: "a fix",
    }),
  }),
  "GET /api/v1/approvals": () => ({ method: "GET", url: "/api/v1/approvals?all=true" }),
  "GET /api/v1/audit": () => ({ method: "GET", url: "/api/v1/audit" }),
  "POST /api/v1/hooks/{source}": () => ({
    method: "POST",
    url: "/api/v1/hooks/argocd",
    payload: readFileSync("test/fixtures/hooks/argocd-app-deployed.json", "utf8"),
  }),
};

describe("every route answers as its contract schema says", () => {
  it("has a request here for every operation of the OpenAPI document", async () => {
    const doc = (await app.inject({ method: "GET", url: "/api/openapi.json" })).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(Object.keys(REQUESTS).sort()).toEqual(operations.sort());
  });

  for (const [operation, request] of Object.entries(REQUESTS)) {
    it(`${operation} answers with a body its schema accepts`, async () => {
      const { payload, ...rest } = request();
      const res = await app.inject({
        ...rest,
        ...(payload === undefined
          ? {}
          : { payload, headers: { "content-type": "application/json" } }),
      });
      // 412: the Flagger webhook's "hold", a gate answer too
      expect([200, 201, 412], res.body).toContain(res.statusCode);
    });
  }

  it("answers errors as problems, which the contract's ProblemSchema accepts", async () => {
    for (const url of [
      "/api/v1/attempts/no-such-attempt",
      "/api/v1/slos/no-such-slo",
      "/api/v1/attempts?limit=0",
      "/api/v1/slos?at=yesterday",
    ]) {
      const res = await app.inject({ method: "GET", url });
      expect(res.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, url).toBeLessThan(500);
      expect(ProblemSchema.safeParse(res.json()).success, res.body).toBe(true);
    }
  });
});
