import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { AlertListSchema } from "../../contract/alert-list-schema.js";
import { AlertPhaseSchema } from "../../contract/alert-phase-schema.js";
import { ProblemSchema } from "../../contract/problem-schema.js";
import { alertToJson, alertTransitionToJson } from "../../core/alerting/alert-json.js";
import { listAlerts } from "../../services/list-alerts.js";
import type { AlertFilter } from "../../store/store.js";
import type { ServerDeps } from "../server-deps.js";

export function alertRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();

  typed.get(
    "/api/v1/alerts",
    {
      schema: {
        summary: "Every alert's current state, and the recent transitions",
        description:
          'States as the alert evaluator last saved them (see docs/alerting.md, "In the service"), with the delivery status of each alert\'s last notification. `transitions` are newest first.',
        tags: ["alerts"],
        querystring: z.object({
          state: AlertPhaseSchema.optional(),
          slo: z.string().optional(),
          transitions: z.coerce.number().int().min(0).max(1000).default(100),
        }),
        response: {
          200: AlertListSchema,
          400: ProblemSchema,
        },
      },
    },
    async (request) => {
      const { scope } = deps.authorize(request, "read");
      const { state, slo, transitions } = request.query;
      const filter: { -readonly [K in keyof AlertFilter]: AlertFilter[K] } = {};
      if (state !== undefined) filter.state = state;
      if (slo !== undefined) filter.slo = slo;
      const listing = await listAlerts({
        ctx: deps,
        input: { filter, transitionsLimit: Math.max(1, transitions), scope },
      });
      return {
        alerts: listing.alerts.map((listed) => alertToJson(listed.alert, listed.lastNotification)),
        transitions: transitions === 0 ? [] : listing.transitions.map(alertTransitionToJson),
      };
    },
  );
}
