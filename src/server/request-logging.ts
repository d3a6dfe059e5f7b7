import type { FastifyInstance } from "fastify";

/** A request slower than this is logged at info level whatever its answer. */
export const SLOW_REQUEST_MS = 1000;

/**
 * One log line per request, after the answer: at debug level for a quick success (the
 * dashboard polls every few seconds, and those lines would drown everything else at info),
 * at info for a client error (4xx) or a slow answer, at warn for a server error (5xx).
 * Replaces Fastify's two info lines per request (`disableRequestLogging`); the line on
 * arrival stays, at debug level.
 */
export function logRequests(app: FastifyInstance, slowMs: number = SLOW_REQUEST_MS): void {
  app.addHook("onRequest", async (request) => {
    request.log.debug({ req: { method: request.method, url: request.url } }, "incoming request");
  });
  app.addHook("onResponse", async (request, reply) => {
    const status = reply.statusCode;
    const ms = reply.elapsedTime;
    const level = status >= 500 ? "warn" : status >= 400 || ms >= slowMs ? "info" : "debug";
    request.log[level](
      {
        method: request.method,
        url: request.url,
        statusCode: status,
        responseTime: Math.round(ms * 10) / 10,
      },
      ms >= slowMs ? "slow request" : "request completed",
    );
  });
}
