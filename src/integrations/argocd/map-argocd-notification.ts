import { instantMs } from "../../contract/timestamp-schema.js";
import type { HookReading, UnattachedEvent } from "../hooks/hook-mapping.js";
import { type HookRequest, jsonBody } from "../hooks/hook-request.js";
import { readPayload, refuseField } from "../hooks/read-payload.js";
import { stableId } from "../hooks/stable-id.js";
import { type ArgoCdNotification, ArgoCdNotificationSchema } from "./argocd-notification-schema.js";

const WHAT = "an Argo CD notification of the deployslo template";
export const SYNC_STAGE = "sync";
export const HEALTH_STAGE = "health-check";

/** The health-check stage that follows a successful sync, as far as this notification knows. */
function healthEvents(
  note: ArgoCdNotification,
  finishedAt: string,
  id: (part: string) => string,
  now: number,
): UnattachedEvent[] {
  const attributes = { source: "argocd", app: note.app };
  const events: UnattachedEvent[] = [
    {
      id: id("health-start"),
      type: "stage.started",
      at: finishedAt,
      stage: HEALTH_STAGE,
      kind: "active",
      attributes,
    },
  ];
  const finished = instantMs(finishedAt) ?? now;
  const changed = instantMs(note.healthChangedAt);
  // Healthy since before the sync finished says nothing of this rollout: it took no time.
  const at =
    changed === undefined
      ? new Date(Math.max(now, finished)).toISOString()
      : new Date(Math.max(changed, finished)).toISOString();
  if (note.health === "Healthy") {
    events.push({
      id: id("health-end"),
      type: "stage.finished",
      at,
      stage: HEALTH_STAGE,
      attributes,
    });
  } else if (note.health === "Degraded") {
    events.push({
      id: id("health-end"),
      type: "stage.finished",
      at,
      stage: HEALTH_STAGE,
      status: "failed",
      attributes: { ...attributes, health: "Degraded" },
    });
  }
  return events;
}

/**
 * Reads a notification rendered by deployslo's Argo CD template: one sync operation (keyed by
 * the application and the operation's startedAt) is the `sync` stage, from startedAt to
 * finishedAt, failed when the phase is Failed or Error; after a successful sync the
 * `health-check` stage lasts until the application reports Healthy (failed when Degraded).
 * Every notification of one sync carries the same stage start, so triggers may be subscribed
 * in any combination and arrive in any order; Argo CD's retries repeat the same event ids.
 */
export function mapArgoCdNotification(request: HookRequest): HookReading {
  const body = jsonBody(request);
  if (!body.ok) throw refuseField(WHAT, "body", "is not JSON");
  const note = readPayload(ArgoCdNotificationSchema, body.value, WHAT);
  const model = note.model ?? note.app;
  if (note.attemptId === undefined && note.environment === undefined) {
    throw refuseField(WHAT, "environment", "is needed to find the attempt (or attemptId)");
  }
  // One sync operation of one application; the correlation fields keep apart applications of
  // the same name in two Argo CD instances.
  const origin = stableId(
    "argocd",
    note.app,
    note.project,
    note.startedAt,
    note.revision,
    model,
    note.environment,
    note.attemptId,
  );
  const id = (part: string) => `${origin}:${part}`;
  const attributes = {
    source: "argocd",
    app: note.app,
    ...(note.revision ? { revision: note.revision } : {}),
    ...(note.project ? { project: note.project } : {}),
  };
  const events: UnattachedEvent[] = [
    {
      id: id("sync-start"),
      type: "stage.started",
      at: note.startedAt,
      stage: SYNC_STAGE,
      kind: "active",
      attributes,
    },
  ];
  const ended = note.phase === "Succeeded" || note.phase === "Failed" || note.phase === "Error";
  if (ended) {
    if (note.finishedAt === undefined) {
      throw refuseField(WHAT, "finishedAt", `is required when phase is ${note.phase}`);
    }
    events.push({
      id: id("sync-end"),
      type: "stage.finished",
      at: note.finishedAt,
      stage: SYNC_STAGE,
      status: note.phase === "Succeeded" ? "succeeded" : "failed",
      attributes: { ...attributes, phase: note.phase },
    });
    if (note.phase === "Succeeded")
      events.push(...healthEvents(note, note.finishedAt, id, request.now));
  }
  return {
    kind: "mapped",
    source: "argocd",
    role: "follow",
    attemptId: note.attemptId,
    key: { model, environment: note.environment ?? "", version: note.version },
    at: instantMs(note.startedAt) ?? request.now,
    origin,
    start: { at: note.startedAt, attributes: { source: "argocd" } },
    events,
  };
}
