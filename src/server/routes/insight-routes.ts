import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { CoordinationOverheadSchema } from "../../contract/coordination-overhead-schema.js";
import { EnvironmentDriftSchema } from "../../contract/environment-drift-schema.js";
import { InstantSchema } from "../../contract/instant-schema.js";
import { ProblemSchema } from "../../contract/problem-schema.js";
import { SimulationSchema } from "../../contract/simulation-schema.js";
import { StageBudgetsSchema } from "../../contract/stage-budgets-schema.js";
import { TailAttributionSchema } from "../../contract/tail-attribution-schema.js";
import { ThresholdRecommendationSchema } from "../../contract/threshold-recommendation-schema.js";
import { isSplitKey } from "../../core/analysis/attempt-conditions.js";
import { notDeploymentReason } from "../../core/analysis/deployment-slo.js";
import { parseSelectorTerms } from "../../core/analysis/selector-terms.js";
import { parseTargetText } from "../../core/analysis/target-text.js";
import { parseDuration } from "../../core/primitives/duration.js";
import { DeploysloError } from "../../core/primitives/error-codes.js";
import { parseTimestamp } from "../../core/primitives/timestamp.js";
import type { Slo } from "../../core/spec/slo.js";
import { attributeTail } from "../../services/attribute-tail.js";
import { checkStageBudgets } from "../../services/check-stage-budgets.js";
import type { InsightScope } from "../../services/insight-attempts.js";
import { measureDrift } from "../../services/measure-drift.js";
import { measureHandoffs } from "../../services/measure-handoffs.js";
import { recommendThresholdFromHistory } from "../../services/recommend-threshold.js";
import { simulateWhatIf } from "../../services/simulate-what-if.js";
import type { ServerDeps } from "../server-deps.js";

const DAY = 86_400_000;
const MAX_RESAMPLES = 5_000;
const MAX_BUCKETS = 1_000;
const MAX_DRIFT_WINDOW = 10_000;

/** One value or several (`change=a&change=b`), always as a list. */
const many = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));

const ScopeQuery = z.object({
  slo: z.string().optional().meta({ description: "the scope (and defaults) of this SLO" }),
  selector: z
    .string()
    .optional()
    .meta({ description: "KEY=VALUE,…: environment, model or labels" }),
  model: z.string().optional(),
  environment: z.string().optional(),
  from: InstantSchema.optional().meta({
    description: "startedAt ≥ from; default: 30 days before to",
  }),
  to: InstantSchema.optional().meta({ description: "startedAt < to; default: now" }),
});

type ScopeParams = z.output<typeof ScopeQuery>;

function invalid(field: string, reason: string): DeploysloError {
  return new DeploysloError("INVALID_REQUEST", `${field}: ${reason}`);
}

function duration(field: string, text: string): number {
  const parsed = parseDuration(text);
  if (!parsed.ok || parsed.ms <= 0)
    throw invalid(field, parsed.ok ? "must be above 0" : parsed.reason);
  return parsed.ms;
}

/** The scope of an insight request and the SLO it names, if any. */
function scopeOf(
  deps: ServerDeps,
  query: ScopeParams,
): { scope: InsightScope; slo: Slo | undefined } {
  if (query.slo !== undefined && query.selector !== undefined)
    throw new DeploysloError("INVALID_REQUEST", "give slo or selector, not both");
  const slo = query.slo === undefined ? undefined : deps.engine.find(query.slo);
  if (query.slo !== undefined && slo === undefined)
    throw new DeploysloError("NOT_FOUND", `no SLO named "${query.slo}"`);
  const reason = slo === undefined ? null : notDeploymentReason(slo);
  if (reason !== null) throw invalid("slo", reason);
  let selector = slo?.selector;
  if (selector === undefined) {
    const parsed = parseSelectorTerms(query.selector === undefined ? [] : [query.selector]);
    if (!parsed.ok) throw invalid("selector", parsed.reason);
    selector = parsed.selector;
  }
  const to =
    query.to === undefined ? deps.clock.now() : (parseTimestamp(query.to) ?? deps.clock.now());
  const from =
    query.from === undefined ? to - 30 * DAY : (parseTimestamp(query.from) ?? to - 30 * DAY);
  if (from >= to) throw new DeploysloError("INVALID_REQUEST", "from must be before to");
  return { scope: { selector, model: query.model, environment: query.environment, from, to }, slo };
}

const problems = { 400: ProblemSchema, 404: ProblemSchema };

function recommendationRoute(app: FastifyInstance, deps: ServerDeps): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    "/api/v1/insight/recommendation",
    {
      schema: {
        summary:
          "A threshold for a target from history, its compliance, and the same per condition",
        tags: ["insight"],
        querystring: ScopeQuery.extend({
          target: z
            .string()
            .optional()
            .meta({ description: "e.g. 99% or 0.99; default: the SLO's, else 99%" }),
          threshold: z
            .string()
            .optional()
            .meta({ description: "also the highest target it supports" }),
          split: many.meta({
            description: "environment, model, start, label:NAME, attribute:NAME",
          }),
          window: z.string().default("30d").meta({ description: "window of the spec snippet" }),
          name: z.string().optional().meta({ description: "name in the spec snippet" }),
        }),
        response: { 200: ThresholdRecommendationSchema, ...problems },
      },
    },
    async (request) => {
      deps.authorize(request, "read");
      const { scope, slo } = scopeOf(deps, request.query);
      const q = request.query;
      let target = slo?.objective.target ?? { units: 99n, scale: 100n };
      if (q.target !== undefined) {
        const parsed = parseTargetText(q.target);
        if (!parsed.ok) throw invalid("target", parsed.reason);
        target = parsed.target;
      }
      const bad = q.split.find((key) => !isSplitKey(key));
      if (bad !== undefined)
        throw invalid(
          "split",
          `"${bad}" is not environment, model, start, label:NAME or attribute:NAME`,
        );
      return recommendThresholdFromHistory({
        ctx: deps,
        input: {
          source: { kind: "store", store: deps.store },
          scope,
          target,
          thresholdMs:
            q.threshold === undefined
              ? slo?.objective.thresholdMs
              : duration("threshold", q.threshold),
          splits: q.split.length === 0 ? undefined : q.split,
          name: q.name ?? slo?.name ?? "recommended",
          window: q.window,
        },
      });
    },
  );
}

function tailRoute(app: FastifyInstance, deps: ServerDeps): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    "/api/v1/insight/tail",
    {
      schema: {
        summary: "Which stages the slowest attempts lose their extra time in, largest share first",
        tags: ["insight"],
        querystring: ScopeQuery,
        response: { 200: TailAttributionSchema, ...problems },
      },
    },
    async (request) => {
      deps.authorize(request, "read");
      const { scope } = scopeOf(deps, request.query);
      return attributeTail({
        ctx: deps,
        input: { source: { kind: "store", store: deps.store }, scope },
      });
    },
  );
}

function simulationRoute(app: FastifyInstance, deps: ServerDeps): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    "/api/v1/insight/simulation",
    {
      schema: {
        summary:
          "Predicted durations and compliance after a change to the stages, with 90% intervals",
        tags: ["insight"],
        querystring: ScopeQuery.extend({
          change: many.meta({ description: "stage:NAME*FACTOR or parallel:A,B; repeatable" }),
          threshold: z.string().optional().meta({ description: "default: the SLO's" }),
          resamples: z.coerce.number().int().min(1).max(MAX_RESAMPLES).default(1000),
          seed: z.coerce.number().int().min(0).optional().meta({ description: "default: random" }),
          holdoutFrom: InstantSchema.optional().meta({
            description: "also backtest from this instant",
          }),
        }),
        response: { 200: SimulationSchema, ...problems },
      },
    },
    async (request) => {
      deps.authorize(request, "read");
      const { scope, slo } = scopeOf(deps, request.query);
      const q = request.query;
      const thresholdMs =
        q.threshold === undefined ? slo?.objective.thresholdMs : duration("threshold", q.threshold);
      if (thresholdMs === undefined) throw invalid("threshold", "is required without an slo");
      return simulateWhatIf({
        ctx: deps,
        input: {
          source: { kind: "store", store: deps.store },
          scope,
          changes: q.change,
          thresholdMs,
          resamples: q.resamples,
          seed: q.seed ?? Math.floor(deps.random() * 2 ** 31),
          holdoutFrom: q.holdoutFrom === undefined ? undefined : parseTimestamp(q.holdoutFrom),
          invalid: "INVALID_REQUEST",
        },
      });
    },
  );
}

function handoffsRoute(app: FastifyInstance, deps: ServerDeps): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    "/api/v1/insight/handoffs",
    {
      schema: {
        summary: "Coordination overhead: wait against active time per team, wait stage and period",
        tags: ["insight"],
        querystring: ScopeQuery.extend({
          groupBy: z
            .string()
            .min(1)
            .default("team")
            .meta({ description: "the label naming the team" }),
          bucket: z.string().default("7d").meta({ description: "length of a trend period" }),
        }),
        response: { 200: CoordinationOverheadSchema, ...problems },
      },
    },
    async (request) => {
      deps.authorize(request, "read");
      const { scope } = scopeOf(deps, request.query);
      return measureHandoffs({
        ctx: deps,
        input: {
          source: { kind: "store", store: deps.store },
          scope,
          groupBy: request.query.groupBy,
          bucketMs: duration("bucket", request.query.bucket),
          maxBuckets: MAX_BUCKETS,
          invalid: "INVALID_REQUEST",
        },
      });
    },
  );
}

function driftRoute(app: FastifyInstance, deps: ServerDeps): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    "/api/v1/insight/drift",
    {
      schema: {
        summary:
          "Environment drift: outcomes per serving fingerprint, mismatches with the validated or trained one, and fingerprint changes that coincide with a shift",
        tags: ["insight"],
        querystring: ScopeQuery.extend({
          compare: z.coerce
            .number()
            .int()
            .min(1)
            .max(MAX_DRIFT_WINDOW)
            .default(100)
            .meta({ description: "attempts compared on each side of a fingerprint change" }),
          alpha: z.coerce
            .number()
            .gt(0)
            .lt(1)
            .default(0.05)
            .meta({ description: "family-wise significance level of the change tests" }),
        }),
        response: { 200: EnvironmentDriftSchema, ...problems },
      },
    },
    async (request) => {
      deps.authorize(request, "read");
      const { scope } = scopeOf(deps, request.query);
      return measureDrift({
        ctx: deps,
        input: {
          source: { kind: "store", store: deps.store },
          scope,
          compare: request.query.compare,
          alpha: request.query.alpha,
        },
      });
    },
  );
}

function budgetsRoute(app: FastifyInstance, deps: ServerDeps): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    "/api/v1/insight/budgets",
    {
      schema: {
        summary: "How often each stage overran its budget (spec.stageBudgets) in the SLO's window",
        tags: ["insight"],
        querystring: ScopeQuery.omit({ selector: true }).extend({
          slo: z.string().meta({ description: "the SLO whose stage budgets to check" }),
          from: InstantSchema.optional().meta({
            description: "startedAt ≥ from; default: the start of the SLO's window as of to",
          }),
        }),
        response: { 200: StageBudgetsSchema, ...problems },
      },
    },
    async (request) => {
      deps.authorize(request, "read");
      const { scope, slo } = scopeOf(deps, request.query);
      if (slo === undefined) throw invalid("slo", "is required");
      return checkStageBudgets({
        ctx: deps,
        input: {
          source: { kind: "store", store: deps.store },
          scope: {
            ...scope,
            from: request.query.from === undefined ? undefined : scope.from,
          },
          slo,
        },
      });
    },
  );
}

/** Insight over the stored history: recommendation, tail, what-if, hand-offs, drift, budgets. */
export function insightRoutes(app: FastifyInstance, deps: ServerDeps): void {
  recommendationRoute(app, deps);
  tailRoute(app, deps);
  simulationRoute(app, deps);
  handoffsRoute(app, deps);
  driftRoute(app, deps);
  budgetsRoute(app, deps);
}
