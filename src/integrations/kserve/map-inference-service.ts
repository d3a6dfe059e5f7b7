import { instantMs } from "../../contract/timestamp-schema.js";
import { textProblem } from "../../core/primitives/text-problem.js";
import { type HookReading, ignored, type UnattachedEvent } from "../hooks/hook-mapping.js";
import { type HookRequest, jsonBody } from "../hooks/hook-request.js";
import { readPayload, refuseField } from "../hooks/read-payload.js";
import { stableId } from "../hooks/stable-id.js";
import {
  type InferenceService,
  InferenceServiceSchema,
  type KnativeCondition,
  WatchEventSchema,
} from "./inference-service-schema.js";

const WHAT = "a KServe InferenceService";
export const PREDICTOR_STAGE = "predictor";
export const TRAFFIC_STAGE = "shift-traffic";

/** The annotations (or labels) that name an InferenceService's attempt (docs/integrations.md). */
export const KSERVE_KEYS = {
  model: "deployslo.io/model",
  version: "deployslo.io/version",
  environment: "deployslo.io/environment",
  attemptId: "deployslo.io/attempt-id",
} as const;

function correlation(isvc: InferenceService, key: keyof typeof KSERVE_KEYS): string | undefined {
  const { annotations, labels } = isvc.metadata;
  const value = annotations?.[KSERVE_KEYS[key]] ?? labels?.[KSERVE_KEYS[key]];
  if (value === undefined || value === "") return undefined;
  const problem = value.length > 256 ? "is longer than 256 characters" : textProblem(value);
  if (problem !== undefined) {
    throw refuseField(WHAT, `metadata.annotations["${KSERVE_KEYS[key]}"]`, problem);
  }
  return value;
}

/** The object itself, or the object of a watch event; undefined for a deletion. */
function unwrap(value: unknown): unknown {
  const watch = WatchEventSchema.safeParse(value);
  if (!watch.success) return value;
  return watch.data.type === "ADDED" || watch.data.type === "MODIFIED"
    ? watch.data.object
    : undefined;
}

/** The share of traffic (percent) that goes to `revision`, or undefined when none is listed. */
function trafficShare(isvc: InferenceService, revision: string): number | undefined {
  const targets = isvc.status?.components?.predictor?.traffic ?? [];
  const mine = targets.filter(
    (target) =>
      target.revisionName === revision ||
      (target.revisionName === undefined && target.latestRevision === true),
  );
  if (mine.length === 0) return undefined;
  return mine.reduce((sum, target) => sum + (target.percent ?? 0), 0);
}

function condition(isvc: InferenceService, type: string): KnativeCondition | undefined {
  return isvc.status?.conditions?.find((c) => c.type === type);
}

/**
 * The stage events one status snapshot of `revision` stands for. PredictorReady Unknown: the
 * revision's predictor is rolling out since the condition's lastTransitionTime; False: it
 * failed then; True with `revision` as latestReadyRevision: it became ready then. Traffic has no
 * time of its own: `observedAt` (the object's latest condition transition) stands for it.
 */
function stageEvents(
  isvc: InferenceService,
  revision: string,
  observedAt: string,
  id: (part: string) => string,
): UnattachedEvent[] {
  const attributes = { source: "kserve", revision };
  const events: UnattachedEvent[] = [];
  const predictor = condition(isvc, "PredictorReady");
  const at = predictor?.lastTransitionTime;
  const reason = predictor?.reason === undefined ? {} : { reason: predictor.reason };
  // Unknown: rolling out since `at`. False overwrote that time, so it reports only the end.
  if (predictor?.status === "Unknown" && at !== undefined) {
    events.push({
      id: id("predictor-start"),
      type: "stage.started",
      at,
      stage: PREDICTOR_STAGE,
      kind: "active",
      attributes,
    });
  }
  if (predictor?.status === "False" && at !== undefined) {
    events.push({
      id: id("predictor-failed"),
      type: "stage.finished",
      at,
      stage: PREDICTOR_STAGE,
      status: "failed",
      attributes: {
        ...attributes,
        ...reason,
        ...(predictor.message ? { message: predictor.message.slice(0, 1000) } : {}),
      },
    });
  }
  const ready = isvc.status?.components?.predictor?.latestReadyRevision === revision;
  if (predictor?.status === "True" && at !== undefined && ready) {
    events.push({
      id: id("predictor-ready"),
      type: "stage.finished",
      at,
      stage: PREDICTOR_STAGE,
      attributes,
    });
  }
  const share = trafficShare(isvc, revision);
  if (share !== undefined && share > 0 && share < 100) {
    events.push({
      id: id("traffic-start"),
      type: "stage.started",
      at: observedAt,
      stage: TRAFFIC_STAGE,
      kind: "active",
      attributes: { ...attributes, percent: share },
    });
  } else if (share === 100 && ready) {
    events.push({
      id: id("traffic-end"),
      type: "stage.finished",
      at: observedAt,
      stage: TRAFFIC_STAGE,
      attributes: { ...attributes, percent: share },
    });
  }
  return events;
}

/** The object's latest condition transition, else the receipt time. */
function observedAt(isvc: InferenceService, now: number): string {
  const times = (isvc.status?.conditions ?? []).flatMap((c) => {
    const ms = instantMs(c.lastTransitionTime);
    return ms === undefined ? [] : [ms];
  });
  return new Date(times.length === 0 ? now : Math.max(...times)).toISOString();
}

/**
 * Reads an InferenceService (serving.kserve.io/v1beta1) as the Kubernetes API returns it, or a
 * watch event holding one, as relayed by a watch-to-webhook forwarder: the rollout of the
 * predictor's latest created revision is the `predictor` stage (from PredictorReady) and the
 * shift of traffic to it the `shift-traffic` stage (from status.components.predictor.traffic).
 * Each snapshot repeats the same event ids for one revision, so snapshots may arrive in any
 * order and any number of times.
 */
export function mapInferenceService(request: HookRequest): HookReading {
  const body = jsonBody(request);
  if (!body.ok) throw refuseField(WHAT, "body", "is not JSON");
  const object = unwrap(body.value);
  if (object === undefined) return ignored("a deleted InferenceService records nothing");
  const isvc = readPayload(InferenceServiceSchema, object, WHAT);
  const predictor = isvc.status?.components?.predictor;
  const revision = predictor?.latestCreatedRevision ?? predictor?.latestReadyRevision;
  if (revision === undefined) {
    return ignored("the InferenceService's predictor has no revision yet");
  }
  const { name, namespace } = isvc.metadata;
  const model = correlation(isvc, "model") ?? name;
  const environment = correlation(isvc, "environment") ?? namespace;
  const version = correlation(isvc, "version");
  const attemptId = correlation(isvc, "attemptId");
  const origin = stableId("kserve", namespace, name, revision, model, environment, attemptId);
  const seen = observedAt(isvc, request.now);
  const events = stageEvents(isvc, revision, seen, (part) => `${origin}:${part}`);
  if (events.length === 0) {
    return ignored(`revision ${revision} has neither rolled out nor become ready in this status`);
  }
  const earliest = events.reduce((min, e) => Math.min(min, instantMs(e.at) ?? min), request.now);
  const startedAt = new Date(earliest).toISOString();
  return {
    kind: "mapped",
    source: "kserve",
    role: "follow",
    attemptId,
    key: { model, environment, version },
    at: earliest,
    origin,
    start: { at: startedAt, attributes: { source: "kserve", inferenceService: name } },
    events,
  };
}
