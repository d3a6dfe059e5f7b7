import { gzipSync } from "node:zlib";
import {
  type Attributes,
  context,
  DiagLogLevel,
  diag,
  SpanKind,
  SpanStatusCode,
  trace,
} from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import type { FastifyInstance } from "fastify";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store.js";
import { testServer } from "../support/test-server.js";

// The real OpenTelemetry JS exporter (OTLP/HTTP JSON) is the client of POST /v1/traces.

const T0 = Date.parse("2026-10-14T09:00:00Z");
const at = (seconds: number) => new Date(T0 + seconds * 1000);
const INGEST = "ci-ingest-token-0123456789";

let store: Store;
let app: FastifyInstance;
let url: string;

beforeEach(async () => {
  store = await openStore(":memory:");
  ({ app } = await testServer(store, [], {
    tokens: [{ name: "ci", role: "ingest", token: INGEST }],
  }));
  url = await app.listen({ host: "127.0.0.1", port: 0 });
});
afterEach(async () => {
  diag.disable();
  await app.close();
  await store.close();
});

/** Spans recorded by the real SDK (BasicTracerProvider), kept to be exported at will. */
function recorder(resource: Attributes) {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes(resource),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  return { tracer: provider.getTracer("deploy-pipeline", "1.0.0"), memory, provider };
}

interface Exported {
  readonly code: number;
  readonly error?: { readonly code?: number; readonly data?: string; readonly message: string };
}

/** Exports spans with the real OTLP/HTTP JSON exporter and reports its result. */
function exportSpans(
  spans: readonly ReadableSpan[],
  options: { token?: string; compression?: "gzip" | "none" } = {},
): Promise<Exported> {
  const exporter = new OTLPTraceExporter({
    url: `${url}/v1/traces`,
    headers: { authorization: `Bearer ${options.token ?? INGEST}` },
    compression: options.compression as never,
  });
  return new Promise((resolve) => {
    exporter.export([...spans], (result) => resolve(result as Exported));
  });
}

const RESOURCE: Attributes = {
  "service.name": "deploy-controller",
  "cicd.pipeline.name": "deploy-model",
  "deployment.environment.name": "production",
  "deployslo.model": "fraud-detector",
  "deployslo.model.version": 17,
  "deployslo.label.team": "risk",
};

/** One deployment as a CI system traces it: the run, its tasks, the probe, a dependency. */
function deployment(resource: Attributes = RESOURCE, runAttributes: Attributes = {}) {
  const { tracer, memory } = recorder(resource);
  const run = tracer.startSpan("RUN deploy-model", {
    kind: SpanKind.SERVER,
    startTime: at(0),
    attributes: { "cicd.pipeline.run.id": "run-42", ...runAttributes },
  });
  const parent = trace.setSpan(context.active(), run);
  const task = (name: string, from: number, to: number, attributes: Attributes = {}) => {
    const span = tracer.startSpan(
      name,
      { kind: SpanKind.INTERNAL, startTime: at(from), attributes },
      parent,
    );
    span.end(at(to));
    return span;
  };
  task("validate", 0, 4, {
    "cicd.pipeline.task.name": "validate",
    "cicd.pipeline.task.run.id": "run-42-t1",
    "cicd.pipeline.task.run.result": "success",
  });
  task("pull image", 4, 40, { "deployslo.dependency": "image_pull" });
  task("rollout", 40, 170, {
    "cicd.pipeline.task.name": "shift-traffic",
    "cicd.pipeline.task.run.result": "success",
    "cicd.pipeline.task.type": "deploy",
  });
  task("probe", 170, 192.5, { "deployslo.probe": true });
  run.setAttribute("cicd.pipeline.result", "success");
  run.end(at(200));
  const spans = memory.getFinishedSpans();
  const traceId = run.spanContext().traceId;
  return { spans, traceId, tracer };
}

async function attempt(id: string) {
  const res = await app.inject({
    method: "GET",
    url: `/api/v1/attempts/${id}`,
    headers: { authorization: `Bearer ${INGEST}` },
  });
  return { status: res.statusCode, body: res.json() as Record<string, unknown> };
}

describe("POST /v1/traces with the OpenTelemetry JS exporter as the client", () => {
  it("turns a pipeline run's trace into an attempt with stages, probe and dependency", async () => {
    const { spans, traceId } = deployment();
    const result = await exportSpans(spans);
    expect(result.code, result.error?.message).toBe(0);
    const stored = await attempt(traceId);
    expect(stored.status).toBe(200);
    expect(stored.body).toMatchObject({
      id: traceId,
      model: "fraud-detector",
      version: "17",
      environment: "production",
      labels: { team: "risk" },
      startedAt: "2026-10-14T09:00:00.000Z",
      servingAt: "2026-10-14T09:03:12.500Z",
      endedAt: "2026-10-14T09:03:20.000Z",
      outcome: "succeeded",
      attributes: {
        "cicd.pipeline.name": "deploy-model",
        "cicd.pipeline.run.id": "run-42",
        "deployslo.source": "otlp",
      },
    });
    const stages = stored.body.stages as { name: string; status: string }[];
    expect(stages.map((s) => [s.name, s.status])).toEqual([
      ["validate", "succeeded"],
      ["shift-traffic", "succeeded"],
      ["probe", "succeeded"],
    ]);
    expect(stored.body.dependencies).toEqual([
      { name: "image_pull", seconds: 36, at: "2026-10-14T09:00:40.000Z" },
    ]);
  });

  it("takes spans over several requests in any order, and a redelivery changes nothing", async () => {
    const { spans, traceId } = deployment();
    const root = spans.filter((s) => s.parentSpanContext === undefined);
    const children = spans.filter((s) => s.parentSpanContext !== undefined);
    expect((await exportSpans(children.slice(2))).code).toBe(0);
    expect((await attempt(traceId)).status).toBe(404);
    expect((await exportSpans(root)).code).toBe(0);
    expect((await exportSpans(children.slice(0, 2), { compression: "gzip" })).code).toBe(0);
    const once = await attempt(traceId);
    expect(once.body.servingAt).toBe("2026-10-14T09:03:12.500Z");
    expect(once.body.stages).toHaveLength(3);
    const res = await app.inject({
      method: "POST",
      url: "/v1/traces",
      headers: { authorization: `Bearer ${INGEST}`, "content-type": "application/json" },
      payload: await requestBody(spans),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({});
    expect((await attempt(traceId)).body).toEqual(once.body);
  });

  it("maps the run's result and the tasks' results to outcome and stage status", async () => {
    const { tracer, memory } = recorder(RESOURCE);
    const run = tracer.startSpan("RUN deploy-model", { kind: SpanKind.SERVER, startTime: at(0) });
    const task = tracer.startSpan(
      "health-check",
      {
        startTime: at(1),
        attributes: {
          "cicd.pipeline.task.name": "health-check",
          "deployslo.stage.kind": "wait",
        },
      },
      trace.setSpan(context.active(), run),
    );
    task.setStatus({ code: SpanStatusCode.ERROR, message: "readiness probe failed" });
    task.end(at(30));
    run.setAttributes({ "cicd.pipeline.result": "failure", "error.type": "readiness" });
    run.end(at(31));
    expect((await exportSpans(memory.getFinishedSpans())).code).toBe(0);
    const stored = await attempt(run.spanContext().traceId);
    expect(stored.body).toMatchObject({
      outcome: "failed",
      endedAt: "2026-10-14T09:00:31.000Z",
      stages: [{ name: "health-check", status: "failed", kind: "wait" }],
    });
    expect(stored.body.servingAt).toBeUndefined();
  });

  it("rejects only the spans it cannot read (partial success), naming the attribute", async () => {
    const warnings: string[] = [];
    diag.setLogger(
      {
        warn: (...args: unknown[]) => warnings.push(args.map(String).join(" ")),
        error: () => undefined,
        info: () => undefined,
        debug: () => undefined,
        verbose: () => undefined,
      },
      DiagLogLevel.WARN,
    );
    const good = deployment();
    const { model: _dropped, ...withoutModel } = { model: 0, ...RESOURCE };
    delete (withoutModel as Record<string, unknown>)["deployslo.model"];
    const bad = deployment(withoutModel);
    const result = await exportSpans([...good.spans, ...bad.spans]);
    expect(result.code).toBe(0);
    expect(warnings.join("\n")).toContain("Partial Success");
    expect(warnings.join("\n")).toContain(
      "deployslo.model is required on the span or its resource",
    );
    expect((await attempt(good.traceId)).status).toBe(200);
    expect((await attempt(bad.traceId)).status).toBe(404);

    const res = await app.inject({
      method: "POST",
      url: "/v1/traces",
      headers: { authorization: `Bearer ${INGEST}`, "content-type": "application/json" },
      payload: await requestBody([...good.spans, ...bad.spans]),
    });
    const body = res.json() as { partialSuccess: { rejectedSpans: string; errorMessage: string } };
    expect(body.partialSuccess.rejectedSpans).toBe("1");
    expect(body.partialSuccess.errorMessage).toMatch(
      /^1 of 10 spans rejected: resourceSpans\[1\]\.scopeSpans\[0\]\.spans\[4\] \(span [0-9a-f]{16} of trace [0-9a-f]{32}\): deployslo\.model is required/,
    );
  });

  it("refuses a request whose every span is rejected with a 400 Status the exporter reports", async () => {
    const { tracer, memory } = recorder({ "cicd.pipeline.name": "deploy-model" });
    const run = tracer.startSpan("RUN deploy-model", { kind: SpanKind.SERVER, startTime: at(0) });
    run.setAttribute("cicd.pipeline.result", "finished-ok");
    run.end(at(5));
    const result = await exportSpans(memory.getFinishedSpans());
    expect(result.code).toBe(1);
    expect(result.error?.code).toBe(400);
    const status = JSON.parse(result.error?.data ?? "{}");
    expect(status).toMatchObject({
      code: 3,
      message: "1 span rejected; nothing was stored",
      details: [
        { "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "INVALID_REQUEST" },
        { "@type": "type.googleapis.com/google.rpc.BadRequest" },
      ],
    });
    const lines = status.details[1].fieldViolations.map(
      (v: { description: string }) => v.description,
    );
    expect(lines.join("\n")).toContain("deployslo.model is required");
    expect(lines.join("\n")).toContain(
      'cicd.pipeline.result must be one of success, failure, error, timeout, cancellation, skip, got "finished-ok"',
    );
    expect(status.details[1].fieldViolations[0].field).toBe(
      "resourceSpans[0].scopeSpans[0].spans[0]",
    );
  });

  it("needs an ingest token, checked before the body is read", async () => {
    const { spans } = deployment();
    const result = await exportSpans(spans, { token: "wrong-token-0123456789" });
    expect(result.error?.code).toBe(401);
    expect(JSON.parse(result.error?.data ?? "{}")).toMatchObject({
      code: 16,
      message: "unknown API token",
    });
  });
});

/** The JSON body the real exporter sends for these spans. */
async function requestBody(spans: readonly ReadableSpan[]): Promise<string> {
  const { JsonTraceSerializer } = await import("@opentelemetry/otlp-transformer");
  return new TextDecoder().decode(JsonTraceSerializer.serializeRequest([...spans]));
}

describe("POST /v1/traces refuses bad data with a 400 naming the field", () => {
  const post = (payload: string, headers: Record<string, string> = {}) =>
    app.inject({
      method: "POST",
      url: "/v1/traces",
      headers: {
        authorization: `Bearer ${INGEST}`,
        "content-type": "application/json",
        ...headers,
      },
      payload,
    });
  const span = (fields: Record<string, unknown>) =>
    JSON.stringify({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceId: "5b8efff798038103d269b633813fc60c",
                  spanId: "eee19b7ec3c1b174",
                  name: "RUN deploy",
                  startTimeUnixNano: "1790762400000000000",
                  endTimeUnixNano: "1790762500000000000",
                  ...fields,
                },
              ],
            },
          ],
        },
      ],
    });

  it.each([
    [
      { traceId: "W47/95gDgQPSabYzgT/GDA==" },
      "resourceSpans[0].scopeSpans[0].spans[0].traceId must be 32 hexadecimal digits",
    ],
    [{ spanId: "0000000000000000" }, "resourceSpans[0].scopeSpans[0].spans[0].spanId must be 16"],
    [
      { startTimeUnixNano: "2026-10-14T09:00:00Z" },
      "resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano must be a non-negative integer",
    ],
    [
      { kind: "SPAN_KIND_SERVER" },
      "resourceSpans[0].scopeSpans[0].spans[0].kind must be an integer",
    ],
    [
      { attributes: [{ key: "deployslo.model", value: { intValue: "x" } }] },
      "resourceSpans[0].scopeSpans[0].spans[0].attributes[0].value.intValue must be an integer",
    ],
  ])("%j", async (fields, message) => {
    const res = await post(span(fields));
    expect(res.statusCode).toBe(400);
    expect(res.headers["content-type"]).toContain("application/json");
    const body = res.json() as {
      message: string;
      details: { fieldViolations?: { field: string }[] }[];
    };
    expect(body.message).toContain(message);
    expect(body.details[1]?.fieldViolations?.[0]?.field).toBe(message.split(" ")[0]);
  });

  it("acknowledges spans that are not about a pipeline and an empty request", async () => {
    const unrelated = await post(
      span({
        attributes: [{ key: "http.route", value: { stringValue: "/" } }],
        parentSpanId: "eee19b7ec3c1b175",
      }),
    );
    expect(unrelated.statusCode).toBe(200);
    expect(unrelated.json()).toEqual({});
    const empty = await post("{}");
    expect(empty.statusCode).toBe(200);
    expect(empty.json()).toEqual({});
  });

  it("answers 415 for binary protobuf, naming the encoding to use", async () => {
    const res = await post("\x0a\x00", { "content-type": "application/x-protobuf" });
    expect(res.statusCode).toBe(415);
    expect(res.json()).toMatchObject({ message: expect.stringContaining("http/json") });
  });

  it("answers 400 for a body that is not JSON or not gzip", async () => {
    const notJson = await post("{");
    expect(notJson.statusCode).toBe(400);
    const notGzip = await post("{}", { "content-encoding": "gzip" });
    expect(notGzip.statusCode).toBe(400);
    expect(notGzip.json()).toMatchObject({ message: expect.stringContaining("not valid gzip") });
    const gzipped = await app.inject({
      method: "POST",
      url: "/v1/traces",
      headers: {
        authorization: `Bearer ${INGEST}`,
        "content-type": "application/json",
        "content-encoding": "gzip",
      },
      payload: gzipSync(span({ traceId: "zz" })),
    });
    expect(gzipped.statusCode).toBe(400);
    expect(gzipped.json()).toMatchObject({ message: expect.stringContaining("traceId") });
  });
});
