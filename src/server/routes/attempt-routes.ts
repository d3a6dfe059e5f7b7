import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { AttemptPageSchema } from "../../contract/attempt-page-schema.js";
import { AttemptRecordBatchSchema } from "../../contract/attempt-record-batch-schema.js";
import { AttemptRecordSchema } from "../../contract/attempt-record-schema.js";
import { IngestResultSchema } from "../../contract/ingest-result-schema.js";
import { InstantSchema } from "../../contract/instant-schema.js";
import { OutcomeSchema } from "../../contract/outcome-schema.js";
import { ProblemSchema } from "../../contract/problem-schema.js";
import { attemptToRecordJson } from "../../core/attempt/attempt-to-record-json.js";
import { parseTimestamp } from "../../core/primitives/timestamp.js";
import { getAttempt } from "../../services/get-attempt.js";
import { ingestAttempts } from "../../services/ingest-attempts.js";
import { listAttempts } from "../../services/list-attempts.js";
import type { AttemptFilter } from "../../store/store.js";
import { documentationOnly } from "../documentation-only.js";
import { BatchBody } from "../request-body.js";
import { admitEncoded } from "../scope-admits.js";
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
            200: IngestResultSchema,
            400: ProblemSchema,
            413: ProblemSchema,
          },
        },
      },
      async (request) => {
        const grant = deps.authorize(request, "ingest");
        const body = request.body instanceof BatchBody ? request.body : EMPTY_BODY;
        return ingestAttempts({
          ctx: deps,
          input: {
            body: body.bytes,
            format: body.format,
            admit:
              grant.scope === undefined ? undefined : (attempt) => admitEncoded(grant, attempt),
          },
        });
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
          outcome: OutcomeSchema.optional(),
          from: InstantSchema.optional().meta({ description: "startedAt ≥ from" }),
          to: InstantSchema.optional().meta({ description: "startedAt < to" }),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
          cursor: z.string().optional().meta({ description: "nextCursor of the previous page" }),
        }),
        response: {
          200: AttemptPageSchema,
          400: ProblemSchema,
        },
      },
    },
    async (request) => {
      const grant = deps.authorize(request, "read");
      const { limit, cursor, from, to, model, version, environment, outcome } = request.query;
      const filter: Record<string, string | number> = {};
      if (model !== undefined) filter.model = model;
      if (version !== undefined) filter.version = version;
      if (environment !== undefined) filter.environment = environment;
      if (outcome !== undefined) filter.outcome = outcome;
      if (from !== undefined) filter.from = parseTimestamp(from) ?? 0;
      if (to !== undefined) filter.to = parseTimestamp(to) ?? 0;
      const page = await listAttempts({
        ctx: deps,
        input: {
          filter: filter as AttemptFilter,
          page: cursor === undefined ? { limit } : { limit, cursor },
          scope: grant.scope,
        },
      });
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
      const grant = deps.authorize(request, "read");
      // Out of scope reads as absent: a scoped token does not learn which ids exist.
      const attempt = await getAttempt({
        ctx: deps,
        input: { id: request.params.id, scope: grant.scope },
      });
      return attemptToRecordJson(attempt);
    },
  );
}

export function attemptRoutes(app: FastifyInstance, deps: ServerDeps): void {
  ingestRoute(app, deps);
  listRoute(app, deps);
  oneRoute(app, deps);
}
