import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { ingestEvents } from "../../services/ingest-events.js";
import { documentationOnly } from "../documentation-only.js";
import { locatedValues } from "../request-body.js";
import { AttemptEventBatchSchema } from "../schemas/attempt-event-schema.js";
import { ProblemSchema } from "../schemas/slo-status-schema.js";
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
          200: z.object({
            accepted: z.number().int(),
            duplicates: z
              .number()
              .int()
              .meta({ description: "events whose id was already stored" }),
            attempts: z.number().int().meta({ description: "attempts updated" }),
          }),
          400: ProblemSchema,
          413: ProblemSchema,
        },
      },
    },
    async (request) => {
      deps.authorize(request, "ingest");
      return ingestEvents({ ctx: deps, input: { values: locatedValues(request.body) } });
    },
  );
}
