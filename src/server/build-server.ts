import fastifySwagger from "@fastify/swagger";
import Fastify, { type FastifyInstance, type FastifyServerOptions } from "fastify";
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  validatorCompiler,
} from "fastify-type-provider-zod";
import { z } from "zod";
import { MAX_NAME } from "../core/attempt/record-limits.js";
import { DeploysloError } from "../core/primitives/error-codes.js";
import { getSloStatuses } from "../services/get-slo-statuses.js";
import { VERSION } from "../version.js";
import { clientErrorHandler } from "./client-error-handler.js";
import { DASHBOARD_ROOT, dashboardStatic } from "./dashboard-static.js";
import { isDocumentationOnly } from "./documentation-only.js";
import { sendError } from "./problem-details.js";
import { refuseUnsafeText } from "./refuse-unsafe-text.js";
import { parseNdjsonBody } from "./request-body.js";
import { logRequests } from "./request-logging.js";
import { alertRoutes } from "./routes/alert-routes.js";
import { attemptRoutes } from "./routes/attempt-routes.js";
import { dashboardRoutes } from "./routes/dashboard-routes.js";
import { eventRoutes } from "./routes/event-routes.js";
import { gateRoutes } from "./routes/gate-routes.js";
import { healthRoutes } from "./routes/health-routes.js";
import { hookRoutes } from "./routes/hook-routes.js";
import { insightRoutes } from "./routes/insight-routes.js";
import { notificationRoutes } from "./routes/notification-routes.js";
import { otlpTraceRoutes } from "./routes/otlp-trace-routes.js";
import { reportRoutes } from "./routes/report-routes.js";
import { sloRoutes } from "./routes/slo-routes.js";
import { securityHeaders } from "./security-headers.js";
import type { ServerDeps } from "./server-deps.js";
import { sloGaugesText } from "./slo-metrics.js";

/**
 * While closing: refuse new requests with a problem, and answer in-flight ones with
 * `Connection: close` so keep-alive clients do not hold the process open until their idle
 * timeout (72 s by default, longer than an orchestrator's grace period).
 */
function refuseWhileClosing(app: FastifyInstance): void {
  let closing = false;
  app.addHook("preClose", async () => {
    closing = true;
  });
  app.addHook("onRequest", async (_request, reply) => {
    if (closing) {
      reply.header("connection", "close");
      return sendError(reply, new DeploysloError("SHUTTING_DOWN", "the server is shutting down"));
    }
  });
  app.addHook("onSend", async (_request, reply, payload) => {
    if (closing) reply.header("connection", "close");
    return payload;
  });
}

/**
 * Request validation from the routes' zod schemas, JSON answers (checked against their schemas
 * when `checkResponses`), and the only body types the API takes: JSON and NDJSON.
 */
function codecs(app: FastifyInstance, checkResponses: boolean): void {
  app.addHook("preValidation", refuseUnsafeText);
  app.setValidatorCompiler((route) =>
    isDocumentationOnly(route.schema)
      ? (data: unknown) => ({ value: data })
      : validatorCompiler(route as Parameters<typeof validatorCompiler>[0]),
  );
  // Responses are plain JSON; their schemas exist for the OpenAPI document, and for tests.
  app.setSerializerCompiler(({ schema, method, url, httpStatus }) => (data) => {
    if (checkResponses) {
      const parsed = (schema as z.ZodType).safeParse(data);
      if (!parsed.success) {
        throw new Error(
          `${method} ${url} answered ${httpStatus} against its contract: ${z.prettifyError(parsed.error)}`,
        );
      }
    }
    return JSON.stringify(data);
  });
  // Only JSON and NDJSON bodies exist in this API: anything else is a 415, not a string.
  app.removeContentTypeParser("text/plain");
  app.addContentTypeParser(
    "application/x-ndjson",
    { parseAs: "string" },
    (_request, body, done) => {
      try {
        done(null, parseNdjsonBody(String(body)));
      } catch (error) {
        done(error as Error, undefined);
      }
    },
  );
}

/** Every route: the API's resources, the dashboard's files, /metrics and the OpenAPI document. */
async function routes(
  app: FastifyInstance,
  deps: ServerDeps,
  dashboardRoot: string,
): Promise<void> {
  healthRoutes(app, deps);
  attemptRoutes(app, deps);
  eventRoutes(app, deps);
  await hookRoutes(app, deps);
  otlpTraceRoutes(app, deps);
  sloRoutes(app, deps);
  notificationRoutes(app, deps);
  alertRoutes(app, deps);
  gateRoutes(app, deps);
  dashboardRoutes(app, deps);
  insightRoutes(app, deps);
  reportRoutes(app, deps);
  dashboardStatic(app, dashboardRoot);
  app.get("/metrics", { schema: { hide: true } }, async (request, reply) => {
    const { scope } = deps.authorize(request, "read");
    if (scope === undefined) {
      return reply.type(deps.metrics.contentType).send(await deps.metrics.metrics());
    }
    const result = await getSloStatuses({ ctx: deps, input: { at: deps.clock.now(), scope } });
    return reply.type(deps.metrics.contentType).send(await sloGaugesText(result));
  });
  // Like every /api path it needs a read token when tokens are configured: only the health
  // checks (for orchestrators) and the dashboard's files (which hold no data) are public.
  app.get("/api/openapi.json", { schema: { hide: true } }, async (request) => {
    deps.authorize(request, "read");
    return app.swagger();
  });
}

/**
 * The Fastify app: routes, one error mapping, the OpenAPI document at /api/openapi.json and
 * /metrics. Tests call it with `inject`, no port; `deployslo serve` listens.
 */
export async function buildServer(
  deps: ServerDeps,
  options: {
    logger?: FastifyServerOptions["loggerInstance"];
    /** The built dashboard's directory (default: dist/web). */
    dashboardRoot?: string;
    /**
     * Check every answer against its route's response schema (the contract) and fail the
     * request when it does not parse: for tests; answers are otherwise written unchecked.
     */
    checkResponses?: boolean;
    /** Requests slower than this are logged at info level (default SLOW_REQUEST_MS). */
    slowRequestMs?: number;
  } = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    bodyLimit: deps.config.bodyLimitBytes,
    ...(options.logger === undefined ? { logger: false } : { loggerInstance: options.logger }),
    // An id may be 256 characters, each up to 9 when percent-encoded (the default limit is 100).
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: MAX_NAME * 9 },
    // Requests that arrive while closing get our own problem response (below).
    return503OnClosing: false,
    // A URL that cannot be decoded (`/api/v1/attempts/%ZZ`) is a problem document like the rest.
    frameworkErrors: (error, _request, reply) => {
      sendError(reply, error);
    },
    clientErrorHandler,
    disableRequestLogging: true,
  }) as unknown as FastifyInstance;
  securityHeaders(app);
  logRequests(app, options.slowRequestMs);

  refuseWhileClosing(app);
  // Before the body is read: a request without a valid token costs no parsing.
  app.addHook("onRequest", async (request, reply) => deps.authorize.authenticate(request, reply));

  codecs(app, options.checkResponses === true);
  app.setErrorHandler((error, _request, reply) => sendError(reply, error));
  app.setNotFoundHandler((request, reply) =>
    sendError(
      reply,
      new DeploysloError("NOT_FOUND", `no route ${request.method} ${request.url.split("?")[0]}`),
    ),
  );

  await app.register(fastifySwagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "deployslo",
        version: VERSION,
        description:
          "SLOs for ML model deployment latency: ingest attempts and events, read SLO status.",
      },
      components: {
        securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
      },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });

  await routes(app, deps, options.dashboardRoot ?? DASHBOARD_ROOT);
  await app.ready();
  return app;
}
