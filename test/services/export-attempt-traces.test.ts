import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Attributes, SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { JsonTraceSerializer } from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes } from "@opentelemetry/resources";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { systemClock } from "../../src/clock/clock.js";
import type { Attempt } from "../../src/core/attempt/attempt.js";
import { startOtlpExportLoop } from "../../src/jobs/start-otlp-export-loop.js";
import {
  exportAttemptTraces,
  OTLP_EXPORTER,
  type OtlpExportConfig,
} from "../../src/services/export-attempt-traces.js";
import { silentLogger } from "../../src/services/service-logger.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store.js";
import { type HttpReceiver, startReceiver } from "../support/http-receiver.js";
import { makeAttempt, makeStage, SECOND, T0 } from "../support/make-attempt.js";
import { testServer } from "../support/test-server.js";

// The export's wire format is held to the official OpenTelemetry JS serializer
// (@opentelemetry/otlp-transformer): a loopback OTLP/HTTP receiver records each request, and
// its body must read as what JsonTraceSerializer encodes for the spans the mapping promises.

let dir: string;
let receiver: HttpReceiver;
const stores: Store[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "deployslo-otlp-"));
  receiver = await startReceiver();
  receiver.fallback = { status: 200, body: "{}" };
});
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
  await receiver.close();
  rmSync(dir, { recursive: true, force: true });
});

async function open(): Promise<Store> {
  const store = await openStore(join(dir, "deployslo.db"));
  stores.push(store);
  return store;
}

const config = (): OtlpExportConfig => ({
  url: `${receiver.url}/v1/traces`,
  headers: { authorization: "Bearer collector-secret" },
  serviceName: "deployslo",
  version: "9.9.9",
  timeoutMs: 2_000,
});

function round(store: Store, owner = "replica-a") {
  return exportAttemptTraces({
    ctx: { store, clock: systemClock, logger: silentLogger },
    input: { config: config(), owner, leaseMs: 30_000, signal: new AbortController().signal },
  });
}

const hex = (text: string, bytes: number) =>
  createHash("sha256")
    .update(text)
    .digest("hex")
    .slice(0, bytes * 2);
const hr = (ms: number): [number, number] => [Math.floor(ms / 1000), (ms % 1000) * 1_000_000];

const resources = new Map<string, ReturnType<typeof resourceFromAttributes>>();
function resourceOf(attempt: Attempt) {
  const resource =
    resources.get(attempt.id) ??
    resourceFromAttributes({
      "service.name": "deployslo",
      "deployment.environment.name": attempt.environment,
      "deployslo.attempt.id": attempt.id,
    });
  resources.set(attempt.id, resource);
  return resource;
}

/** A span as the OpenTelemetry SDK hands it to its exporters. */
function readable(
  attempt: Attempt,
  fields: {
    part: string;
    name: string;
    kind: SpanKind;
    parent?: string;
    start: number;
    end: number;
    attributes: Attributes;
    events?: { name: string; at: number }[];
    error?: string;
  },
): ReadableSpan {
  const traceId = hex(`deployslo attempt ${attempt.id}`, 16);
  return {
    name: fields.name,
    kind: fields.kind,
    spanContext: () => ({
      traceId,
      spanId: hex(`deployslo attempt ${attempt.id} span ${fields.part}`, 8),
      traceFlags: 0,
    }),
    ...(fields.parent === undefined
      ? {}
      : {
          parentSpanContext: {
            traceId,
            spanId: hex(`deployslo attempt ${attempt.id} span ${fields.parent}`, 8),
            traceFlags: 0,
          },
        }),
    startTime: hr(fields.start),
    endTime: hr(fields.end),
    status:
      fields.error === undefined
        ? { code: SpanStatusCode.UNSET }
        : { code: SpanStatusCode.ERROR, message: fields.error },
    attributes: fields.attributes,
    links: [],
    events: (fields.events ?? []).map((e) => ({ name: e.name, time: hr(e.at), attributes: {} })),
    duration: hr(fields.end - fields.start),
    ended: true,
    // One object per attempt: the serializer groups spans by resource identity.
    resource: resourceOf(attempt),
    instrumentationScope: { name: "deployslo", version: "9.9.9" },
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
}

/** Drops proto3 defaults and reads 64-bit integers as strings: both encodings are valid OTLP. */
function normalized(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalized);
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === 0 || (Array.isArray(v) && v.length === 0) || key === "flags") continue;
    out[key] = key === "intValue" ? String(v) : normalized(v);
  }
  return out;
}

function official(spans: ReadableSpan[]): unknown {
  return normalized(
    JSON.parse(new TextDecoder().decode(JsonTraceSerializer.serializeRequest(spans))),
  );
}

const deployed = makeAttempt({
  id: "att-deployed",
  version: "17",
  labels: { team: "risk" },
  startedAt: T0,
  servingAt: T0 + 192_500,
  endedAt: T0 + 200 * SECOND,
  outcome: "succeeded",
  attributes: { "cicd.pipeline.name": "deploy-model" },
  stages: [
    makeStage({ name: "validate", startedAt: T0, endedAt: T0 + 4 * SECOND, status: "succeeded" }),
    makeStage({
      name: "approval",
      startedAt: T0 + 4 * SECOND,
      endedAt: T0 + 60 * SECOND,
      status: "failed",
      kind: "wait",
      attributes: { approver: "ops" },
    }),
  ],
  dependencies: [
    { name: "image_pull", seconds: 36, at: T0 + 40 * SECOND, attributes: {} },
    { name: "registry_pull", seconds: 3, at: null, attributes: {} },
  ],
});

function expectedSpans(attempt: Attempt): ReadableSpan[] {
  return [
    readable(attempt, {
      part: "run",
      name: "RUN deploy-model",
      kind: SpanKind.SERVER,
      start: T0,
      end: T0 + 200 * SECOND,
      attributes: {
        "cicd.pipeline.name": "deploy-model",
        "cicd.pipeline.run.id": "att-deployed",
        "cicd.pipeline.action.name": "RUN",
        "cicd.pipeline.result": "success",
        "deployment.environment.name": "production",
        "deployslo.model": "fraud-detector",
        "deployslo.model.version": "17",
        "deployslo.outcome": "succeeded",
        "deployslo.serving.seconds": 192.5,
        "deployslo.label.team": "risk",
      },
      events: [{ name: "deployslo.serving", at: T0 + 192_500 }],
    }),
    readable(attempt, {
      part: "stage 0",
      parent: "run",
      name: "validate",
      kind: SpanKind.INTERNAL,
      start: T0,
      end: T0 + 4 * SECOND,
      attributes: {
        "cicd.pipeline.task.name": "validate",
        "cicd.pipeline.task.run.id": "att-deployed/0",
        "cicd.pipeline.task.run.result": "success",
        "deployslo.stage.kind": "active",
      },
    }),
    readable(attempt, {
      part: "stage 1",
      parent: "run",
      name: "approval",
      kind: SpanKind.INTERNAL,
      start: T0 + 4 * SECOND,
      end: T0 + 60 * SECOND,
      attributes: {
        "cicd.pipeline.task.name": "approval",
        "cicd.pipeline.task.run.id": "att-deployed/1",
        "cicd.pipeline.task.run.result": "failure",
        "deployslo.stage.kind": "wait",
        "deployslo.stage.attribute.approver": "ops",
      },
      error: "the stage ended failed",
    }),
    readable(attempt, {
      part: "dependency 0",
      parent: "run",
      name: "image_pull",
      kind: SpanKind.INTERNAL,
      start: T0 + 4 * SECOND,
      end: T0 + 40 * SECOND,
      attributes: { "deployslo.dependency": "image_pull" },
    }),
  ];
}

describe("OTLP trace export", () => {
  it("exports each finished attempt once, as the official serializer encodes its spans", async () => {
    const store = await open();
    await store.upsertAttempts([makeAttempt({ id: "history", servingAt: T0 + SECOND })]);
    expect(await round(store)).toMatchObject({ held: true, exported: 0 });
    await store.upsertAttempts([
      { ...deployed, outcome: "in_progress", servingAt: null, endedAt: null },
      makeAttempt({
        id: "from-a-trace",
        servingAt: T0 + SECOND,
        attributes: { "deployslo.source": "otlp" },
      }),
    ]);
    expect(await round(store)).toMatchObject({ exported: 0 });
    expect(receiver.requests).toHaveLength(0);

    await store.upsertAttempts([deployed]);
    expect(await round(store)).toMatchObject({ held: true, exported: 1, more: false });
    expect(receiver.requests).toHaveLength(1);
    const request = receiver.requests[0];
    expect(request?.path).toBe("/v1/traces");
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(request?.headers.authorization).toBe("Bearer collector-secret");
    expect(normalized(JSON.parse(request?.body ?? ""))).toEqual(official(expectedSpans(deployed)));

    // Changed again after its export, the attempt is not sent a second time.
    await store.upsertAttempts([{ ...deployed, labels: { team: "fraud" } }]);
    expect(await round(store)).toMatchObject({ exported: 0 });
    expect(await store.exportedAttempts(OTLP_EXPORTER, ["att-deployed", "history"])).toEqual(
      new Set(["att-deployed"]),
    );
  });

  it("does not export twice across a restart or from a second replica", async () => {
    const first = await open();
    await round(first);
    await first.upsertAttempts([deployed]);
    const second = await open();
    // The second replica waits while the first holds the lease, then finds the attempt sent.
    expect(await round(first, "replica-a")).toMatchObject({ held: true, exported: 1 });
    expect(await round(second, "replica-b")).toMatchObject({ held: false });
    await first.releaseLease("otlp-export", "replica-a");
    expect(await round(second, "replica-b")).toMatchObject({ held: true, exported: 0 });
    await second.releaseLease("otlp-export", "replica-b");
    await first.close();
    const restarted = await open();
    expect(await round(restarted, "replica-c")).toMatchObject({ held: true, exported: 0 });
    expect(receiver.requests).toHaveLength(1);
  });

  it("retries an unreachable or failing receiver with backoff, then sends the same trace", async () => {
    const store = await open();
    await round(store);
    await store.upsertAttempts([deployed]);
    receiver.script({ status: 503, body: "busy" }, { status: 502, body: "" });
    const errors: number[] = [];
    const loop = startOtlpExportLoop(
      {
        store,
        clock: systemClock,
        logger: {
          ...silentLogger,
          error: (fields: unknown) => errors.push((fields as { failures: number }).failures),
        },
      },
      { config: config(), owner: "replica-a", timing: { intervalMs: 20, maxBackoffMs: 200 } },
    );
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline) {
      const done = await store.exportedAttempts(OTLP_EXPORTER, ["att-deployed"]);
      if (done.size === 1) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await loop.stop();
    expect(errors).toEqual([1, 2]);
    expect(receiver.requests).toHaveLength(3);
    const bodies = new Set(receiver.requests.map((r) => r.body));
    expect(bodies.size).toBe(1);
  });

  it("records attempts the receiver refuses as bad data and goes on", async () => {
    const store = await open();
    await round(store);
    await store.upsertAttempts([deployed]);
    receiver.script({ status: 400, body: '{"code":3,"message":"bad span"}' });
    expect(await round(store)).toMatchObject({ exported: 0, rejected: 1 });
    expect(await round(store)).toMatchObject({ exported: 0, rejected: 0 });
    expect(receiver.requests).toHaveLength(1);
  });

  it("keeps everything unsent while the receiver cannot be reached", async () => {
    const store = await open();
    await round(store);
    await store.upsertAttempts([deployed]);
    const closed = receiver.url;
    await receiver.close();
    await expect(
      exportAttemptTraces({
        ctx: { store, clock: systemClock, logger: silentLogger },
        input: {
          config: { ...config(), url: `${closed}/v1/traces` },
          owner: "replica-a",
          leaseMs: 30_000,
          signal: new AbortController().signal,
        },
      }),
    ).rejects.toThrow(/cannot reach/);
    expect(await store.exportedAttempts(OTLP_EXPORTER, ["att-deployed"])).toEqual(new Set());
    receiver = await startReceiver();
    receiver.fallback = { status: 200, body: "{}" };
    expect(await round(store)).toMatchObject({ exported: 1 });
  });

  it("exports a trace that POST /v1/traces reads back as the same attempt", async () => {
    const store = await open();
    await round(store);
    await store.upsertAttempts([deployed]);
    await round(store);
    const other = await openStore(":memory:");
    stores.push(other);
    const { app } = await testServer(other, []);
    try {
      const res = await app.inject({
        method: "POST",
        url: "/v1/traces",
        headers: { "content-type": "application/json" },
        payload: receiver.requests[0]?.body ?? "",
      });
      expect(res.json()).toEqual({});
      const back = await other.getAttempt("att-deployed");
      const { attributes: _a, ...rest } = deployed;
      expect(back).toMatchObject({
        ...rest,
        // A sample without a time has no place in a trace.
        dependencies: [deployed.dependencies[0]],
        stages: deployed.stages.map((stage) => ({ ...stage, attributes: expect.any(Object) })),
      });
    } finally {
      await app.close();
    }
  });

  it("sends nothing while another replica holds the lease", async () => {
    const store = await open();
    await store.acquireLease({
      name: "otlp-export",
      owner: "other",
      now: Date.now(),
      leaseMs: 60_000,
    });
    expect(await round(store)).toMatchObject({ held: false });
  });
});
