import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { EvaluationResultSchema } from "../../contract/evaluation-result-schema.js";
import { InstantSchema } from "../../contract/instant-schema.js";
import { ProblemSchema } from "../../contract/problem-schema.js";
import { SloDetailSchema } from "../../contract/slo-detail-schema.js";
import { parseTimestamp } from "../../core/primitives/timestamp.js";
import { getSloDetail } from "../../services/get-slo-detail.js";
import { getSloStatuses } from "../../services/get-slo-statuses.js";
import type { ServerDeps } from "../server-deps.js";

const MAX_POINTS = 500;

function instant(value: string | undefined, fallback: number): number {
  return value === undefined ? fallback : (parseTimestamp(value) ?? fallback);
}

export function sloRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();

  typed.get(
    "/api/v1/slos",
    {
      schema: {
        summary: "Every SLO's status now, or as of a past instant",
        tags: ["slos"],
        querystring: z.object({ at: InstantSchema.optional() }),
        response: { 200: EvaluationResultSchema, 400: ProblemSchema },
      },
    },
    async (request) => {
      const { scope } = deps.authorize(request, "read");
      return getSloStatuses({
        ctx: deps,
        input: { at: instant(request.query.at, deps.clock.now()), scope },
      });
    },
  );

  typed.get(
    "/api/v1/slos/:name",
    {
      schema: {
        summary: "One SLO's status and its history over the window, for charts",
        tags: ["slos"],
        params: z.object({ name: z.string() }),
        querystring: z.object({
          at: InstantSchema.optional(),
          from: InstantSchema.optional().meta({
            description: "history start; default: the window's start",
          }),
          points: z.coerce
            .number()
            .int()
            .min(2)
            .max(MAX_POINTS)
            .default(60)
            .meta({ description: "history resolution" }),
        }),
        response: {
          200: SloDetailSchema,
          404: ProblemSchema,
        },
      },
    },
    async (request) => {
      const { scope } = deps.authorize(request, "read");
      const { at, from, points } = request.query;
      return getSloDetail({
        ctx: deps,
        input: {
          name: request.params.name,
          at: instant(at, deps.clock.now()),
          from: from === undefined ? undefined : parseTimestamp(from),
          points,
          scope,
        },
      });
    },
  );
}
