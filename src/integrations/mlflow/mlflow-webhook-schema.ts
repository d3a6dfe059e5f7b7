import { z } from "zod";
import { TimestampSchema } from "../../contract/timestamp-schema.js";
import { MAX_NAME } from "../../contract/wire-limits.js";

const name = z.string().min(1).max(MAX_NAME);

/** The envelope MLflow posts (mlflow/webhooks/delivery.py, `_send_webhook_request`). */
export const MlflowEnvelopeSchema = z.object({
  entity: name,
  action: name,
  timestamp: TimestampSchema,
  data: z.record(z.string(), z.unknown()),
  workspace: z.string().nullish(),
});

/** `data` of model_version_alias.created (mlflow/webhooks/types.py). */
export const MlflowAliasCreatedSchema = z.object({ name, alias: name, version: name });

/** `data` of model_version.created (mlflow/webhooks/types.py). */
export const MlflowVersionCreatedSchema = z.object({
  name,
  version: name,
  source: z.string().nullish(),
  run_id: z.string().nullish(),
  tags: z.record(z.string(), z.string()).nullish(),
  description: z.string().nullish(),
});
