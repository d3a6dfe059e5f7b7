import type { z } from "zod";
import { instantMs } from "../../contract/timestamp-schema.js";
import { CorrelationFieldsSchema } from "../hooks/correlation-fields.js";
import { type HookReading, ignored, type UnattachedEvent } from "../hooks/hook-mapping.js";
import { type HookRequest, header, jsonBody } from "../hooks/hook-request.js";
import { readPayload, refuseField } from "../hooks/read-payload.js";
import { stableId } from "../hooks/stable-id.js";
import {
  GithubDeploymentEventSchema,
  type GithubDeploymentSchema,
  GithubDeploymentStatusEventSchema,
} from "./github-deployment-schema.js";

const WHAT = "a GitHub deployment webhook delivery";
export const DEPLOY_STAGE = "deploy";

type Deployment = z.output<typeof GithubDeploymentSchema>;

/** The deployment's own payload, where the deployer names the model (and version). */
function payloadFields(deployment: Deployment) {
  let payload: unknown = deployment.payload ?? {};
  if (typeof payload === "string") {
    try {
      payload = payload === "" ? {} : JSON.parse(payload);
    } catch {
      payload = {};
    }
  }
  const value = typeof payload === "object" && payload !== null ? payload : {};
  return readPayload(CorrelationFieldsSchema, value, WHAT, "deployment.payload");
}

/**
 * Reads GitHub `deployment` and `deployment_status` events: a deployment is the `deploy`
 * stage, from its created_at to the status that ends it (success, or failure and error, which
 * also end the attempt failed). The deployment's `payload` names the model (`model`, and
 * `version` or `attemptId`); a deployment without one is acknowledged and ignored, as are
 * `ping` and `inactive` statuses. Event ids come from the deployment's and the status's ids.
 */
export function mapGithubEvent(request: HookRequest): HookReading {
  const event = header(request, "x-github-event");
  if (event === "ping") return ignored("ping");
  if (event !== "deployment" && event !== "deployment_status") {
    throw refuseField(
      WHAT,
      "X-GitHub-Event",
      `is "${event ?? ""}"; subscribe only to Deployments and Deployment statuses`,
    );
  }
  const body = jsonBody(request);
  if (!body.ok) throw refuseField(WHAT, "body", "is not JSON");
  const parsed =
    event === "deployment"
      ? {
          ...readPayload(GithubDeploymentEventSchema, body.value, WHAT),
          deployment_status: undefined,
        }
      : readPayload(GithubDeploymentStatusEventSchema, body.value, WHAT);
  const { deployment, repository } = parsed;
  const fields = payloadFields(deployment);
  if (fields.model === undefined && fields.attemptId === undefined) {
    return ignored("the deployment's payload names no model");
  }
  const origin = stableId("github", repository.full_name, deployment.id);
  const attributes = {
    source: "github",
    repository: repository.full_name,
    ...(deployment.sha ? { sha: deployment.sha } : {}),
    ...(deployment.task ? { task: deployment.task } : {}),
  };
  const events: UnattachedEvent[] = [
    {
      id: `${origin}:start`,
      type: "stage.started",
      at: deployment.created_at,
      stage: DEPLOY_STAGE,
      kind: "active",
      attributes,
    },
  ];
  const status = parsed.deployment_status;
  if (status?.state === "inactive") return ignored("an inactive status ends nothing");
  if (status !== undefined && ["success", "failure", "error"].includes(status.state)) {
    const failed = status.state !== "success";
    events.push({
      id: `${origin}:status-${status.id}`,
      type: "stage.finished",
      at: status.created_at,
      stage: DEPLOY_STAGE,
      status: failed ? "failed" : "succeeded",
      attributes: { ...attributes, state: status.state },
    });
    if (failed) {
      events.push({
        id: `${origin}:failed-${status.id}`,
        type: "attempt.finished",
        at: status.created_at,
        outcome: "failed",
      });
    }
  }
  return {
    kind: "mapped",
    source: "github",
    role: "follow",
    attemptId: fields.attemptId,
    key: {
      model: fields.model ?? "",
      environment: fields.environment ?? deployment.environment,
      version: fields.version,
    },
    at: instantMs(deployment.created_at) ?? request.now,
    origin,
    start: { at: deployment.created_at, attributes: { source: "github" } },
    events,
  };
}
