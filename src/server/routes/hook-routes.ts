import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { HookReceiptSchema } from "../../contract/hook-receipt-schema.js";
import { ProblemSchema } from "../../contract/problem-schema.js";
import { DeploysloError } from "../../core/primitives/error-codes.js";
import {
  DEFAULT_HOOK_SETTINGS,
  HOOK_SOURCES,
  isHookSource,
} from "../../integrations/hooks/hook-settings.js";
import { readHook } from "../../integrations/hooks/read-hook.js";
import { verifyHookSignature } from "../../integrations/hooks/verify-hook-signature.js";
import { KeyedQueue } from "../../services/keyed-queue.js";
import { receiveHook } from "../../services/receive-hook.js";
import { admitEvents } from "../admit-events.js";
import { HOOK_ROUTE } from "../auth.js";
import type { ServerDeps } from "../server-deps.js";

/** Media types the tools send: JSON, and CloudEvents' structured JSON for CDEvents. */
const JSON_TYPES = ["application/json", "application/cloudevents+json"];

/**
 * POST /api/v1/hooks/{source}: deliveries of MLflow, CDEvents, Argo CD, GitHub and KServe, read as
 * attempt events (src/integrations). Registered in a scope of its own, whose body parser keeps
 * the raw text: signatures cover the exact bytes. Authenticated by the shared rule
 * (`Authorize.delivery`): a signing source's valid signature, else a bearer token with the
 * ingest role, rate-limited and scope-checked like any write.
 */
export async function hookRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const hookQueue = deps.hookQueue ?? new KeyedQueue();
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(JSON_TYPES, { parseAs: "string" }, (_request, body, done) => {
      done(null, body);
    });
    scope.withTypeProvider<ZodTypeProvider>().post(
      HOOK_ROUTE,
      {
        schema: {
          summary:
            "Receive a tool's webhook (mlflow, cdevents, argocd, github, kserve) as attempt events (docs/integrations.md)",
          tags: ["ingest"],
          consumes: JSON_TYPES,
          params: z.object({ source: z.string().meta({ description: HOOK_SOURCES.join(", ") }) }),
          response: {
            200: HookReceiptSchema,
            400: ProblemSchema,
            401: ProblemSchema,
            403: ProblemSchema,
            404: ProblemSchema,
            413: ProblemSchema,
          },
        },
      },
      async (request) => {
        const { source } = request.params;
        if (!isHookSource(source)) {
          throw new DeploysloError(
            "NOT_FOUND",
            `no receiver for "${source}"; sources are ${HOOK_SOURCES.join(", ")}`,
          );
        }
        const rawBody = typeof request.body === "string" ? request.body : "";
        const hookRequest = { rawBody, headers: request.headers, now: deps.clock.now() };
        const settings = deps.config.hooks ?? DEFAULT_HOOK_SETTINGS;
        const grant = deps.authorize.delivery(request, source, () =>
          verifyHookSignature(source, hookRequest, settings),
        );
        const reading = readHook(source, hookRequest, settings);
        return receiveHook({
          ctx: { ...deps, hookQueue },
          input: {
            reading,
            limits: deps.config.recordLimits,
            scope: grant.scope,
            admit:
              grant.scope === undefined
                ? undefined
                : (events) => admitEvents(grant, deps.store, events),
          },
        });
      },
    );
  });
}
