import type { FastifyInstance } from "fastify";
import { STORE_RETRY_AFTER_SECONDS } from "../problem-details.js";
import type { ServerDeps } from "../server-deps.js";

export function healthRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.get("/healthz", { schema: { hide: true } }, async () => ({ status: "ok" }));
  app.get("/readyz", { schema: { hide: true } }, async (_request, reply) => {
    const database = await deps.store.ping();
    const loaded = deps.ready();
    const ok = database && loaded;
    if (!ok) reply.header("retry-after", String(STORE_RETRY_AFTER_SECONDS));
    return reply
      .code(ok ? 200 : 503)
      .send({ status: ok ? "ready" : "not ready", database, loaded });
  });
}
