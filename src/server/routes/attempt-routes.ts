import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { OUTCOMES } from "../../core/attempt/attempt.js";
import { attemptToRecordJson } from "../../core/attempt/attempt-to-record-json.js";
import { DeploysloError } from "../../core/primitives/error-codes.js";
import { parseTimestamp } from "../../core/primitives/timestamp.js";
import { ingestAttempts } from "../../services/ingest-attempts.js";
import type { AttemptFilter } from "../../store/store.js";
import { documentationOnly } from "../documentation-only.js";
import { BatchBody } from "../request-body.js";
import { AttemptRecordBatchSchema, AttemptRecordSchema } from "../schemas/attempt-record-schema.js";
import { InstantSchema } from "../schemas/instant-schema.js";
import { ProblemSchema } from "../schemas/slo-status-schema.js";
import type { ServerDeps } from "../server-deps.js";

const EMPTY_BODY = new BatchBody(new Uint8Array(0), "ndjson");

/** POST /api/v1/attempts: batches as bytes, decoded by the batch decoder. */
function ingestRoute(app: FastifyInstance, deps: ServerDeps): void {
  // Batch bodies reach the handler as bytes: decoding them (JSON.parse, validation, encoding)
  // is most of an ingest's CPU, and the decoder does it on worker threads.
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    for (const [type, format] of [
      ["application/json", "json"],
      ["application/x-ndjson", "ndjson"],
    ] as const) {
      scope.addContentTypeParser(type, { parseAs: "buffer" }, (_request, bytes, done) => {
        done(null, new BatchBody(bytes as Buffer, format));
      });
    }
    scope.withTypeProvider<ZodTypeProvider>().post(
      "/api/v1/attempts",
      {
        schema: {
          summary: "Record attempts: one record, a JSON array, or NDJSON (application/x-ndjson)",
          description:
            "Upsert by id: sending the same record again is harmless. All records are validated first; if any is invalid nothing is stored. At most 10,000 records per request.",
          tags: ["ingest"],
          consumes: ["application/json", "application/x-ndjson"],
          body: documentationOnly(AttemptRecordBatchSchema),
          response: {
            200: z.object({
              accepted: z.number().int(),
              inserted: z.number().int(),
              updated: z.number().int(),
            }),
            400: ProblemSchema,
            413: ProblemSchema,
          },
        },
      },
      async (request) => {
        deps.authorize(request, "ingest");
        const body = request.body instanceof BatchBody ? request.body : EMPTY_BODY;
        return ingestAttempts(deps.store, deps.attemptBatches, body.bytes, body.format);
      },
    );
  });
}

/** GET /api/v1/attempts: filtered, newest first, by cursor. */
function listRoute(app: FastifyInstance, deps: ServerDeps): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.get(
    "/api/v1/attempts",
    {
      schema: {
        summary: "List attempts, newest first, with filters and cursor pagination",
        tags: ["attempts"],
        querystring: z.object({
          model: z.string().optional(),
          version: z.string().optional(),
          environment: z.string().optional(),
          outcome: z.enum(OUTCOMES).optional(),
          from: InstantSchema.optional().meta({ description: "startedAt ≥ from" }),
          to: InstantSchema.optional().meta({ description: "startedAt < to" }),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
          cursor: z.string().optional().meta({ description: "nextCursor of the previous page" }),
        }),
        response: {
          200: z.object({
            attempts: z.array(AttemptRecordSchema),
            nextCursor: z.string().nullable(),
          }),
          400: ProblemSchema,
        },
      },
    },
    async (request) => {
      deps.authorize(request, "read");
      const { limit, cursor, from, to, model, version, environment, outcome } = request.query;
      const filter: Record<string, string | number> = {};
      if (model !== undefined) filter.model = model;
      if (version !== undefined) filter.version = version;
      if (environment !== undefined) filter.environment = environment;
      if (outcome !== undefined) filter.outcome = outcome;
      if (from !== undefined) filter.from = parseTimestamp(from) ?? 0;
      if (to !== undefined) filter.to = parseTimestamp(to) ?? 0;
      const page = await deps.store.listAttempts(
        filter as AttemptFilter,
        cursor === undefined ? { limit } : { limit, cursor },
      );
      return { attempts: page.attempts.map(attemptToRecordJson), nextCursor: page.nextCursor };
    },
  );
}

/** GET /api/v1/attempts/:id. */
function oneRoute(app: FastifyInstance, deps: ServerDeps): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.get(
    "/api/v1/attempts/:id",
    {
      schema: {
        summary: "One attempt's whole trace: stages, dependency samples, attributes",
        tags: ["attempts"],
        params: z.object({ id: z.string() }),
        response: { 200: AttemptRecordSchema, 404: ProblemSchema },
      },
    },
    async (request) => {
      deps.authorize(request, "read");
      const attempt = await deps.store.getAttempt(request.params.id);
      if (attempt === undefined)
        throw new DeploysloError("NOT_FOUND", `no attempt with id "${request.params.id}"`);
      return attemptToRecordJson(attempt);
    },
  );
}

export function attemptRoutes(app: FastifyInstance, deps: ServerDeps): void {
  ingestRoute(app, deps);
  listRoute(app, deps);
  oneRoute(app, deps);
}
