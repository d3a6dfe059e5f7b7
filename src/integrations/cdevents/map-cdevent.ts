import { instantMs } from "../../contract/timestamp-schema.js";
import { CorrelationFieldsSchema } from "../hooks/correlation-fields.js";
import { type HookReading, ignored, type UnattachedEvent } from "../hooks/hook-mapping.js";
import { type HookRequest, jsonBody } from "../hooks/hook-request.js";
import { readPayload, refuseField } from "../hooks/read-payload.js";
import { stableId } from "../hooks/stable-id.js";
import {
  type CdEvent,
  CdEventSchema,
  PipelineRunContentSchema,
  ServiceContentSchema,
  TaskRunContentSchema,
} from "./cdevent-schema.js";
import { parsePurl } from "./parse-purl.js";

const WHAT = "a CDEvent";

type StageStatus = "succeeded" | "failed" | "cancelled";
const STATUS: Readonly<Record<string, StageStatus>> = {
  success: "succeeded",
  failure: "failed",
  error: "failed",
  cancel: "cancelled",
};

/** The attempt events one CDEvent stands for (docs/integrations.md, "CDEvents"). */
function eventsOf(
  cdevent: CdEvent,
  subjectType: string,
  predicate: string,
  id: string,
): UnattachedEvent[] | undefined {
  const at = cdevent.context.timestamp;
  const content = cdevent.subject.content;
  const attributes = { source: "cdevents", "cdevents.type": cdevent.context.type };
  if (subjectType === "pipelinerun") {
    const run = readPayload(PipelineRunContentSchema, content, WHAT, "subject.content");
    const stage = run.pipelineName || cdevent.subject.id.slice(0, 256);
    const queue = `queue:${stage}`.slice(0, 256);
    if (predicate === "queued") {
      return [{ id, type: "stage.started", at, stage: queue, kind: "wait", attributes }];
    }
    if (predicate === "started") {
      return [
        { id: `${id}:queue`, type: "stage.finished", at, stage: queue, kind: "wait", attributes },
        { id, type: "stage.started", at, stage, kind: "active", attributes },
      ];
    }
    if (predicate === "finished") {
      const status = STATUS[run.outcome ?? "success"] ?? "succeeded";
      const errors = run.errors ? { error: run.errors.slice(0, 1000) } : {};
      return [
        { id, type: "stage.finished", at, stage, status, attributes: { ...attributes, ...errors } },
      ];
    }
    return undefined;
  }
  if (subjectType === "taskrun") {
    const run = readPayload(TaskRunContentSchema, content, WHAT, "subject.content");
    const stage = run.taskName || cdevent.subject.id.slice(0, 256);
    if (predicate === "started") {
      return [{ id, type: "stage.started", at, stage, kind: "active", attributes }];
    }
    if (predicate === "finished") {
      const status = STATUS[run.outcome ?? "success"] ?? "succeeded";
      const errors = run.errors ? { error: run.errors.slice(0, 1000) } : {};
      return [
        { id, type: "stage.finished", at, stage, status, attributes: { ...attributes, ...errors } },
      ];
    }
    return undefined;
  }
  if (subjectType === "service") {
    const service = readPayload(ServiceContentSchema, content, WHAT, "subject.content");
    const withArtifact = { ...attributes, artifactId: service.artifactId.slice(0, 1000) };
    if (predicate === "deployed" || predicate === "upgraded") {
      return [{ id, type: "stage.finished", at, stage: "deploy", attributes: withArtifact }];
    }
    if (predicate === "rolledback") {
      return [
        {
          id,
          type: "stage.finished",
          at,
          stage: "deploy",
          status: "failed",
          attributes: withArtifact,
        },
        { id: `${id}:finished`, type: "attempt.finished", at, outcome: "rolled_back" },
      ];
    }
  }
  return undefined;
}

/** model, version, environment: customData first, then a service event's artifact and environment. */
function correlation(cdevent: CdEvent, subjectType: string) {
  const custom =
    typeof cdevent.customData === "object" && cdevent.customData !== null
      ? readPayload(CorrelationFieldsSchema, cdevent.customData, WHAT, "customData")
      : readPayload(CorrelationFieldsSchema, {}, WHAT, "customData");
  let { model, version, environment } = custom;
  if (subjectType === "service") {
    const service = readPayload(
      ServiceContentSchema,
      cdevent.subject.content,
      WHAT,
      "subject.content",
    );
    const purl = parsePurl(service.artifactId);
    model ??= purl?.name;
    version ??= purl?.version;
    environment ??= service.environment.id;
  }
  return { attemptId: custom.attemptId, model, version, environment };
}

/** A CDEvent sent in CloudEvents' structured mode is the `data` of the CloudEvent. */
function unwrapCloudEvent(value: unknown): unknown {
  if (typeof value !== "object" || value === null || "context" in value) return value;
  const envelope = value as { specversion?: unknown; data?: unknown };
  return envelope.specversion !== undefined && typeof envelope.data === "object"
    ? envelope.data
    : value;
}

/**
 * Reads a CDEvent (v0.3 to v0.5, `version` or `specversion`) as attempt events: pipeline runs
 * and task runs are stages; service.deployed and upgraded finish the `deploy` stage;
 * service.rolledback fails it and ends the attempt rolled back. Other CDEvents are
 * acknowledged and ignored. The event ids derive from context.source and context.id, which
 * the spec makes unique, so a redelivery is stored once.
 */
export function mapCdEvent(request: HookRequest): HookReading {
  const body = jsonBody(request);
  if (!body.ok) throw refuseField(WHAT, "body", "is not JSON");
  const cdevent = readPayload(CdEventSchema, unwrapCloudEvent(body.value), WHAT);
  const [, , subjectType = "", predicate = ""] = cdevent.context.type.split(".");
  const id = stableId("cdevents", cdevent.context.source, cdevent.context.id);
  const events = eventsOf(cdevent, subjectType, predicate, id);
  if (events === undefined) return ignored(`CDEvent ${cdevent.context.type} records nothing`);
  const { attemptId, model, version, environment } = correlation(cdevent, subjectType);
  if (attemptId === undefined && (model === undefined || environment === undefined)) {
    throw refuseField(
      WHAT,
      model === undefined ? "customData.model" : "customData.environment",
      "is needed to find the attempt (or customData.attemptId)",
    );
  }
  return {
    kind: "mapped",
    source: "cdevents",
    role: "follow",
    attemptId,
    key: { model: model ?? "", environment: environment ?? "", version },
    at: instantMs(cdevent.context.timestamp) ?? request.now,
    origin: id,
    start: { at: cdevent.context.timestamp, attributes: { source: "cdevents" } },
    events,
  };
}
