import { z } from "zod";
import { NotificationDeliverySchema } from "./notification-delivery-schema.js";

/** GET /api/v1/notifications: the outbox, newest first. */
export const NotificationListSchema = z.object({
  notifications: z.array(NotificationDeliverySchema),
});

export type NotificationList = z.output<typeof NotificationListSchema>;
