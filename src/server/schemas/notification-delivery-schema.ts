import { z } from "zod";
import { DELIVERY_STATUSES } from "../../core/notification/notification-delivery.js";
import type { notificationDeliveryToJson } from "../../core/notification/notification-delivery-json.js";

const Time = z.string().meta({ description: "RFC 3339, UTC" });

export const NotificationDeliverySchema = z
  .object({
    key: z.string().meta({ description: "the transition's dedupe key" }),
    target: z.string().meta({ description: "NotificationTarget name" }),
    status: z.enum(DELIVERY_STATUSES),
    attempts: z.number().int(),
    nextAttemptAt: Time.nullable(),
    lastError: z.string().nullable(),
    lastStatus: z.number().int().nullable(),
    createdAt: Time,
    updatedAt: Time,
    deliveredAt: Time.nullable(),
    notification: z.object({
      slo: z.string(),
      alert: z.string(),
      severity: z.enum(["page", "ticket"]),
      state: z.enum(["firing", "resolved"]),
      at: Time,
      startsAt: Time,
      endsAt: Time.nullable(),
      labels: z.record(z.string(), z.string()),
      annotations: z.record(z.string(), z.string()),
    }),
  })
  .meta({ id: "NotificationDelivery", description: "One notification to one target" });

// The core's JSON writer produces what the schema describes.
const _writerFitsSchema: (
  json: ReturnType<typeof notificationDeliveryToJson>,
) => z.input<typeof NotificationDeliverySchema> = (json) => json;
