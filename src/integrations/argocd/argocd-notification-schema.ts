import { z } from "zod";
import { TimestampSchema } from "../../contract/timestamp-schema.js";
import { MAX_NAME } from "../../contract/wire-limits.js";
import { CorrelationFieldsSchema } from "../hooks/correlation-fields.js";

/** A value the template rendered from a field Argo CD had not set: "", "<no value>", null. */
const unset = (value: unknown) =>
  value === "" || value === "<no value>" || value === null ? undefined : value;

const optionalTimestamp = z.preprocess(unset, TimestampSchema.optional());

/**
 * The body of deployslo's Argo CD notifications template (docs/integrations.md, "Argo CD"):
 * fields of the Application, `app.status.operationState`, `app.status.sync` and
 * `app.status.health` rendered into JSON.
 */
export const ArgoCdNotificationSchema = CorrelationFieldsSchema.extend({
  app: z.string().min(1).max(MAX_NAME),
  project: z.preprocess(unset, z.string().max(MAX_NAME).optional()),
  revision: z.preprocess(unset, z.string().max(MAX_NAME).optional()),
  phase: z.enum(["Running", "Terminating", "Failed", "Error", "Succeeded"], {
    message:
      "must be an operation phase (Running, Terminating, Failed, Error, Succeeded): subscribe the template to sync triggers",
  }),
  startedAt: TimestampSchema,
  finishedAt: optionalTimestamp,
  health: z.preprocess(
    unset,
    z.enum(["Healthy", "Progressing", "Degraded", "Suspended", "Missing", "Unknown"]).optional(),
  ),
  healthChangedAt: optionalTimestamp,
});

export type ArgoCdNotification = z.output<typeof ArgoCdNotificationSchema>;
