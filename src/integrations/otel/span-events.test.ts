import { describe, expect, it } from "vitest";
import type { DecodedSpan, OtlpValue } from "./decode-otlp-traces.js";
import { decodeOtlpTraces } from "./decode-otlp-traces.js";
import { spanEvents } from "./span-events.js";

const TRACE = "5b8efff798038103d269b633813fc60c";
const T0 = Date.parse("2026-10-14T09:00:00Z");

function span(
  attributes: Record<string, OtlpValue>,
  fields: Omit<Partial<DecodedSpan>, "resource"> & { resource?: Record<string, OtlpValue> } = {},
): DecodedSpan {
  const { resource = {}, ...rest } = fields;
  return {
    where: "resourceSpans[0].scopeSpans[0].spans[0]",
    traceId: TRACE,
    spanId: "eee19b7ec3c1b174",
    parentSpanId: null,
    name: "RUN deploy",
    kind: 2,
    startMs: T0,
    endMs: T0 + 60_000,
    statusCode: 0,
    statusMessage: "",
    attributes: new Map(Object.entries(attributes)),
    resource: new Map(Object.entries(resource)),
    events: [],
    ...rest,
  };
}

const MODEL = {
  "deployslo.model": "fraud-detector",
  "deployslo.model.version": "7",
  "deployment.environment.name": "production",
};

describe("spanEvents", () => {
  it("reads the pipeline-run span as an attempt's start and finish, ids from the span", () => {
    const mapped = spanEvents(span({ "cicd.pipeline.result": "timeout" }, { resource: MODEL }));
    expect(mapped).toEqual({
      kind: "events",
      events: [
        expect.objectContaining({
          id: `otlp:${TRACE}:eee19b7ec3c1b174:started`,
          type: "attempt.started",
          attemptId: TRACE,
          at: "2026-10-14T09:00:00.000Z",
          model: "fraud-detector",
          version: "7",
          environment: "production",
        }),
        {
          id: `otlp:${TRACE}:eee19b7ec3c1b174:finished`,
          type: "attempt.finished",
          attemptId: TRACE,
          at: "2026-10-14T09:01:00.000Z",
          outcome: "timed_out",
        },
      ],
    });
  });

  it.each([
    ["success", undefined, 0, "succeeded"],
    ["failure", undefined, 0, "failed"],
    ["error", undefined, 0, "failed"],
    ["cancellation", undefined, 0, "cancelled"],
    ["skip", undefined, 0, "cancelled"],
    ["failure", "rolled_back", 0, "rolled_back"],
    [undefined, undefined, 2, "failed"],
    [undefined, undefined, 1, "succeeded"],
  ])("result %s, deployslo.outcome %s, status %i: %s", (result, override, status, outcome) => {
    const attributes: Record<string, OtlpValue> = { ...MODEL };
    if (result !== undefined) attributes["cicd.pipeline.result"] = result;
    if (override !== undefined) attributes["deployslo.outcome"] = override;
    const mapped = spanEvents(span(attributes, { statusCode: status }));
    expect(mapped.kind === "events" && mapped.events[1]).toMatchObject({ outcome });
  });

  it("names each attribute a pipeline-run span lacks or has wrong", () => {
    expect(
      spanEvents(span({ "cicd.pipeline.result": "ok", "deployslo.model.version": 1.5 })),
    ).toEqual({
      kind: "rejected",
      problems: [
        "deployslo.model is required on the span or its resource (the model being promoted)",
        "deployslo.model.version must be a non-empty string or an integer, got 1.5",
        "deployment.environment.name is required on the span or its resource (the environment promoted to)",
        'cicd.pipeline.result must be one of success, failure, error, timeout, cancellation, skip, got "ok"',
      ],
    });
  });

  it("reads the deprecated deployment.environment, labels and deployslo.attempt.id", () => {
    const mapped = spanEvents(
      span(
        { "cicd.pipeline.result": "success", "deployslo.label.region": "eu" },
        {
          resource: {
            "deployslo.model": "m",
            "deployslo.model.version": 3,
            "deployment.environment": "staging",
            "deployslo.label.team": "risk",
            "deployslo.attempt.id": "att-9",
          },
        },
      ),
    );
    expect(mapped.kind === "events" && mapped.events[0]).toMatchObject({
      attemptId: "att-9",
      version: 3,
      environment: "staging",
      labels: { team: "risk", region: "eu" },
    });
  });

  it("reads task spans as stages and the probe's success as the first inference", () => {
    const task = spanEvents(
      span(
        { "cicd.pipeline.task.name": "canary", "cicd.pipeline.task.run.result": "skip" },
        { parentSpanId: "eee19b7ec3c1b175", name: "step 3" },
      ),
    );
    expect(task).toMatchObject({
      kind: "events",
      events: [
        {
          type: "stage.finished",
          stage: "canary",
          status: "skipped",
          startedAt: "2026-10-14T09:00:00.000Z",
        },
      ],
    });
    const probe = spanEvents(
      span({ "deployslo.probe": true }, { parentSpanId: "eee19b7ec3c1b175", name: "probe" }),
    );
    expect(probe.kind === "events" && probe.events.map((e) => e.type)).toEqual([
      "stage.finished",
      "attempt.serving",
    ]);
    const failedProbe = spanEvents(
      span({ "deployslo.probe": "true" }, { parentSpanId: "eee19b7ec3c1b175", statusCode: 2 }),
    );
    expect(failedProbe.kind === "events" && failedProbe.events.map((e) => e.type)).toEqual([
      "stage.finished",
    ]);
  });

  it("ignores spans that are not about a pipeline, also under a pipeline's resource", () => {
    expect(spanEvents(span({ "http.route": "/" }))).toEqual({ kind: "ignored" });
    expect(
      spanEvents(
        span({}, { parentSpanId: "eee19b7ec3c1b175", resource: { "cicd.pipeline.name": "x" } }),
      ),
    ).toEqual({ kind: "ignored" });
  });

  it("takes a deployslo.serving span event on any span as the first inference", () => {
    const [decoded] = decodeOtlpTraces({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceId: TRACE.toUpperCase(),
                  spanId: "EEE19B7EC3C1B174",
                  parentSpanId: "eee19b7ec3c1b175",
                  startTimeUnixNano: 1790762400000000000,
                  endTimeUnixNano: "1790762460000000000",
                  events: [{ name: "deployslo.serving", timeUnixNano: "1790762430250000000" }],
                },
              ],
            },
          ],
        },
      ],
    });
    expect(decoded?.traceId).toBe(TRACE);
    expect(spanEvents(decoded as DecodedSpan)).toEqual({
      kind: "events",
      events: [
        {
          id: `otlp:${TRACE}:eee19b7ec3c1b174:serving-event-0`,
          type: "attempt.serving",
          attemptId: TRACE,
          at: "2026-09-30T10:00:30.250Z",
        },
      ],
    });
  });
});
