import { instantMs } from "../../contract/timestamp-schema.js";
import { type HookReading, ignored } from "../hooks/hook-mapping.js";
import { type HookRequest, header, jsonBody } from "../hooks/hook-request.js";
import { readPayload, refuseField } from "../hooks/read-payload.js";
import { stableId } from "../hooks/stable-id.js";
import { aliasEnvironment, type MlflowSettings } from "./mlflow-settings.js";
import {
  MlflowAliasCreatedSchema,
  MlflowEnvelopeSchema,
  MlflowVersionCreatedSchema,
} from "./mlflow-webhook-schema.js";

const WHAT = "an MLflow webhook delivery";

/**
 * Reads an MLflow model registry webhook delivery (MLflow 3.3+). `model_version_alias.created`
 * (also sent when an alias moves) is the promote request of the alias's environment; a
 * `model_version.created` is one only when registering deploys (settings.registeredEnvironment).
 * Other registry events are acknowledged and ignored. Idempotent: the event id comes from
 * X-MLflow-Delivery-Id, which MLflow keeps across its retries (else from the body).
 */
export function mapMlflowWebhook(request: HookRequest, settings: MlflowSettings): HookReading {
  const body = jsonBody(request);
  if (!body.ok) throw refuseField(WHAT, "body", "is not JSON");
  const envelope = readPayload(MlflowEnvelopeSchema, body.value, WHAT);
  const event = `${envelope.entity}.${envelope.action}`;
  const delivery = header(request, "x-mlflow-delivery-id") ?? request.rawBody;
  const at = instantMs(envelope.timestamp) ?? request.now;
  const attributes = {
    source: "mlflow",
    "mlflow.event": event,
    ...(envelope.workspace ? { "mlflow.workspace": envelope.workspace } : {}),
  };
  if (event === "model_version_alias.created") {
    const data = readPayload(MlflowAliasCreatedSchema, envelope.data, WHAT, "data");
    const environment = aliasEnvironment(settings, data.alias);
    if (environment === undefined) {
      return ignored(`alias "${data.alias}" is not watched (serve --mlflow-alias)`);
    }
    const origin = stableId("mlflow", delivery);
    return {
      kind: "mapped",
      source: "mlflow",
      role: "promote",
      key: { model: data.name, version: data.version, environment },
      at,
      origin,
      start: {
        at: envelope.timestamp,
        attributes: { ...attributes, "mlflow.alias": data.alias },
      },
      events: [],
    };
  }
  if (event === "model_version.created") {
    const data = readPayload(MlflowVersionCreatedSchema, envelope.data, WHAT, "data");
    const environment = settings.registeredEnvironment;
    if (environment === undefined) {
      return ignored(
        "registering a version deploys nothing (serve --mlflow-registered-environment)",
      );
    }
    return {
      kind: "mapped",
      source: "mlflow",
      role: "promote",
      key: { model: data.name, version: data.version, environment },
      at,
      origin: stableId("mlflow", delivery),
      start: {
        at: envelope.timestamp,
        attributes: {
          ...attributes,
          ...(data.source ? { "mlflow.source": data.source.slice(0, 1000) } : {}),
          ...(data.run_id ? { "mlflow.run_id": data.run_id } : {}),
        },
      },
      events: [],
    };
  }
  return ignored(`MLflow event ${event} records nothing`);
}
