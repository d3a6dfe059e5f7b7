import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { AttemptEventBatchSchema } from "../../contract/attempt-event-batch-schema.js";
import { EventIngestResultSchema } from "../../contract/event-ingest-result-schema.js";
import { ProblemSchema } from "../../contract/problem-schema.js";
import { ingestEvents } from "../../services/ingest-events.js";
import { admitEvents } from "../admit-events.js";
import { documentationOnly } from "../documentation-only.js";
import { locatedValues } from "../request-body.js";
import type { ServerDeps } from "../server-deps.js";

export function eventRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.withTypeProvider<ZodTypeProvider>().post(
    "/api/v1/events",
    {
      schema: {
        summary: "Report attempt lifecycle events as they happen (any order; idempotent by id)",
        tags: ["ingest"],
        consumes: ["application/json", "application/x-ndjson"],
        body: documentationOnly(AttemptEventBatchSchema),
        response: {
          200: EventIngestResultSchema,
          400: ProblemSchema,
          413: ProblemSchema,
        },
      },
    },
    async (request) => {
      const grant = deps.authorize(request, "ingest");
      return ingestEvents({
        ctx: deps,
        input: {
          values: locatedValues(request.body),
          limits: deps.config.recordLimits,
          admit:
            grant.scope === undefined
              ? undefined
              : (events) => admitEvents(grant, deps.store, events),
        },
      });
    },
  );
}
