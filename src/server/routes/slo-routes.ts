import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { EvaluationResultSchema } from "../../contract/evaluation-result-schema.js";
import { InstantSchema } from "../../contract/instant-schema.js";
import { ProblemSchema } from "../../contract/problem-schema.js";
import { SloDetailSchema } from "../../contract/slo-detail-schema.js";
import { sloPolicyState } from "../../core/policy/slo-policy-state.js";
import { DeploysloError } from "../../core/primitives/error-codes.js";
import { formatTimestamp, parseTimestamp } from "../../core/primitives/timestamp.js";
import { windowBounds } from "../../core/spec/window-bounds.js";
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
      deps.authorize(request, "read");
      return deps.engine.status(instant(request.query.at, deps.clock.now()));
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
      deps.authorize(request, "read");
      const slo = deps.engine.find(request.params.name);
      if (slo === undefined)
        throw new DeploysloError("NOT_FOUND", `no SLO named "${request.params.name}"`);
      const at = instant(request.query.at, deps.clock.now());
      const from = instant(request.query.from, windowBounds(slo.window, at).start);
      if (from >= at) throw new DeploysloError("INVALID_REQUEST", "from must be before at");
      const points = request.query.points;
      const step = (at - from) / (points - 1);
      const ats = Array.from({ length: points }, (_, i) =>
        i === points - 1 ? at : Math.round(from + i * step),
      );
      const statuses = await deps.engine.history(slo, ats);
      const current = statuses[statuses.length - 1];
      if (current === undefined) throw new DeploysloError("INTERNAL", "history produced no point");
      return {
        slo: current,
        policy: sloPolicyState(slo, current),
        history: statuses.map((status, i) => ({
          at: formatTimestamp(ats[i] ?? at),
          eligible: status.eligible,
          bad: status.bad,
          compliance: status.compliance,
          remainingRatio: status.errorBudget.remainingRatio,
          p50: status.percentiles.p50,
          p95: status.percentiles.p95,
          p99: status.percentiles.p99,
        })),
      };
    },
  );
}
