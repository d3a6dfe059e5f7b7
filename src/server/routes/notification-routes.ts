import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { DeliveryStatusSchema } from "../../contract/delivery-status-schema.js";
import { NotificationListSchema } from "../../contract/notification-list-schema.js";
import { ProblemSchema } from "../../contract/problem-schema.js";
import { notificationDeliveryToJson } from "../../core/notification/notification-delivery-json.js";
import { listNotifications } from "../../services/list-notifications.js";
import type { DeliveryFilter } from "../../store/store.js";
import type { ServerDeps } from "../server-deps.js";

export function notificationRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();

  typed.get(
    "/api/v1/notifications",
    {
      schema: {
        summary: "The notification outbox: deliveries newest first, with failures and retries",
        description:
          "One entry per notification × target. `status=dead` lists the deliveries given up; pending ones with `attempts` > 0 are being retried (see `lastError`, `nextAttemptAt`).",
        tags: ["notifications"],
        querystring: z.object({
          status: DeliveryStatusSchema.optional(),
          slo: z.string().optional(),
          target: z.string().optional(),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
        }),
        response: {
          200: NotificationListSchema,
          400: ProblemSchema,
        },
      },
    },
    async (request) => {
      const { scope } = deps.authorize(request, "read");
      const { status, slo, target, limit } = request.query;
      const filter: { -readonly [K in keyof DeliveryFilter]: DeliveryFilter[K] } = {};
      if (status !== undefined) filter.status = status;
      if (slo !== undefined) filter.slo = slo;
      if (target !== undefined) filter.target = target;
      const deliveries = await listNotifications({ ctx: deps, input: { filter, limit, scope } });
      return { notifications: deliveries.map(notificationDeliveryToJson) };
    },
  );
}
