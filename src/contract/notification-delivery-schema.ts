import { z } from "zod";
import { DeliveryStatusSchema } from "./delivery-status-schema.js";
import { SeveritySchema } from "./severity-schema.js";

const Time = z.string().meta({ description: "RFC 3339, UTC" });

/** One notification to one target (GET /api/v1/notifications). */
export const NotificationDeliverySchema = z
  .object({
    key: z.string().meta({ description: "the transition's dedupe key" }),
    target: z.string().meta({ description: "NotificationTarget name" }),
    status: DeliveryStatusSchema,
    attempts: z.number().int(),
    nextAttemptAt: Time.nullable(),
    lastError: z.string().nullable(),
    lastStatus: z.number().int().nullable(),
    createdAt: Time,
    updatedAt: Time,
    deliveredAt: Time.nullable(),
    notification: z.object({
      kind: z.enum(["alert", "freeze", "approval"]).meta({
        description:
          "an alert transition, an error budget freeze starting (firing) or ending (resolved), or an approval granted",
      }),
      slo: z.string(),
      alert: z.string(),
      severity: SeveritySchema,
      state: z.enum(["firing", "resolved"]),
      at: Time,
      startsAt: Time,
      endsAt: Time.nullable(),
      labels: z.record(z.string(), z.string()),
      annotations: z.record(z.string(), z.string()),
    }),
  })
  .meta({ id: "NotificationDelivery", description: "One notification to one target" });

export type NotificationDeliveryJson = z.output<typeof NotificationDeliverySchema>;
