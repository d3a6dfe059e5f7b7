import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { AttemptTraceSchema } from "../../contract/attempt-trace-schema.js";
import { DurationHistogramSchema } from "../../contract/duration-histogram-schema.js";
import { InstantSchema } from "../../contract/instant-schema.js";
import { OverviewSchema } from "../../contract/overview-schema.js";
import { ProblemSchema } from "../../contract/problem-schema.js";
import { SloAttemptsSchema } from "../../contract/slo-attempts-schema.js";
import { StageStatisticsSchema } from "../../contract/stage-statistics-schema.js";
import { DeploysloError } from "../../core/primitives/error-codes.js";
import { parseTimestamp } from "../../core/primitives/timestamp.js";
import { getAttemptTrace } from "../../services/get-attempt-trace.js";
import { getOverview } from "../../services/get-overview.js";
import { getSloHistogram } from "../../services/get-slo-histogram.js";
import { getStageStatistics } from "../../services/get-stage-statistics.js";
import { listSloAttempts } from "../../services/list-slo-attempts.js";
import type { ServerDeps } from "../server-deps.js";

function instant(value: string | undefined, fallback: number): number {
  return value === undefined ? fallback : (parseTimestamp(value) ?? fallback);
}

/** GET /api/v1/overview. */
function overviewRoute(app: FastifyInstance, deps: ServerDeps): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.get(
    "/api/v1/overview",
    {
      schema: {
        summary: "Every SLO's status and state, and the attempts in progress, for a scope",
        tags: ["dashboard"],
        querystring: z.object({
          at: InstantSchema.optional(),
          model: z.string().optional().meta({ description: "keep SLOs whose selector accepts it" }),
          environment: z.string().optional(),
        }),
        response: { 200: OverviewSchema, 400: ProblemSchema },
      },
    },
    async (request) => {
      const { scope } = deps.authorize(request, "read");
      const { at, model, environment } = request.query;
      return getOverview({
        ctx: deps,
        input: {
          at: instant(at, deps.clock.now()),
          filter: { model: model ?? null, environment: environment ?? null },
          scope,
        },
      });
    },
  );
}

/** GET /api/v1/slos/:name/histogram. */
function histogramRoute(app: FastifyInstance, deps: ServerDeps): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.get(
    "/api/v1/slos/:name/histogram",
    {
      schema: {
        summary: "The durations behind one SLO's percentiles, binned, with its threshold",
        tags: ["dashboard"],
        params: z.object({ name: z.string() }),
        querystring: z.object({ at: InstantSchema.optional() }),
        response: { 200: DurationHistogramSchema, 404: ProblemSchema },
      },
    },
    async (request) => {
      const { scope } = deps.authorize(request, "read");
      return getSloHistogram({
        ctx: deps,
        input: {
          name: request.params.name,
          at: instant(request.query.at, deps.clock.now()),
          scope,
        },
      });
    },
  );
}

/** GET /api/v1/slos/:name/attempts. */
function sloAttemptsRoute(app: FastifyInstance, deps: ServerDeps): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.get(
    "/api/v1/slos/:name/attempts",
    {
      schema: {
        summary: "The newest attempts one SLO selects, with duration and slowest stage",
        tags: ["dashboard"],
        params: z.object({ name: z.string() }),
        querystring: z.object({
          from: InstantSchema.optional().meta({ description: "default: the window's start" }),
          to: InstantSchema.optional().meta({ description: "default: now" }),
          limit: z.coerce.number().int().min(1).max(200).default(20),
        }),
        response: {
          200: SloAttemptsSchema,
          404: ProblemSchema,
        },
      },
    },
    async (request) => {
      const { scope } = deps.authorize(request, "read");
      const { from, limit } = request.query;
      return listSloAttempts({
        ctx: deps,
        input: {
          name: request.params.name,
          from: from === undefined ? undefined : parseTimestamp(from),
          to: instant(request.query.to, deps.clock.now()),
          limit,
          scope,
        },
      });
    },
  );
}

/** GET /api/v1/stages. */
function stagesRoute(app: FastifyInstance, deps: ServerDeps): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.get(
    "/api/v1/stages",
    {
      schema: {
        summary: "Per-stage duration percentiles and tail attribution over a scope",
        tags: ["dashboard"],
        querystring: z.object({
          slo: z.string().optional().meta({ description: "only attempts this SLO selects" }),
          model: z.string().optional(),
          environment: z.string().optional(),
          from: InstantSchema.optional().meta({ description: "startedAt ≥ from; default: 7 days" }),
          to: InstantSchema.optional().meta({ description: "startedAt < to; default: now" }),
        }),
        response: { 200: StageStatisticsSchema, 400: ProblemSchema, 404: ProblemSchema },
      },
    },
    async (request) => {
      const { scope } = deps.authorize(request, "read");
      const { slo, model, environment } = request.query;
      const to = instant(request.query.to, deps.clock.now());
      const from = instant(request.query.from, to - 7 * 86_400_000);
      if (from >= to) throw new DeploysloError("INVALID_REQUEST", "from must be before to");
      return getStageStatistics({
        ctx: deps,
        input: { slo, model, environment, from, to, scope },
      });
    },
  );
}

/** GET /api/v1/attempts/:id/trace. */
function traceRoute(app: FastifyInstance, deps: ServerDeps): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.get(
    "/api/v1/attempts/:id/trace",
    {
      schema: {
        summary: "One attempt with its critical path and the thresholds of the SLOs selecting it",
        tags: ["dashboard"],
        params: z.object({ id: z.string() }),
        querystring: z.object({ at: InstantSchema.optional() }),
        response: { 200: AttemptTraceSchema, 404: ProblemSchema },
      },
    },
    async (request) => {
      const { scope } = deps.authorize(request, "read");
      return getAttemptTrace({
        ctx: deps,
        input: { id: request.params.id, at: instant(request.query.at, deps.clock.now()), scope },
      });
    },
  );
}

/** Aggregates for the dashboard: the browser never receives raw attempts in bulk. */
export function dashboardRoutes(app: FastifyInstance, deps: ServerDeps): void {
  overviewRoute(app, deps);
  histogramRoute(app, deps);
  sloAttemptsRoute(app, deps);
  stagesRoute(app, deps);
  traceRoute(app, deps);
}
