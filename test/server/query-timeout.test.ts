import { readFileSync } from "node:fs";
import type { FastifyInstance } from "fastify";
import { Client } from "pg";
import { afterEach, expect, it } from "vitest";
import { parseSloSpecs } from "../../src/core/spec/parse-slo-specs.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store.js";
import { describeDialect } from "../store/describe-dialect.js";
import { DIALECTS } from "../store/dialects.js";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy.js";
import { testServer } from "../support/test-server.js";

// A query that does not end (a lock held by another session, a database host that vanished
// mid-query) ends with a 503 problem document with Retry-After within the query timeout
// (docs/operations.md, "Failure modes"), and the service answers again once it is over.

const SLOS = parseSloSpecs(readFileSync("test/fixtures/slos.yaml", "utf8"), "slos.yaml").slos;
const TIMEOUT_MS = 500;
/** The driver's wait beyond the server-side timeout for a server that never answers. */
const GRACE_MS = 5_000;
const RECORD = {
  id: "a1",
  model: "fraud-detector",
  version: "1",
  environment: "production",
  startedAt: "2026-10-14T09:00:00Z",
  servingAt: "2026-10-14T09:01:00Z",
};

let app: FastifyInstance | undefined;
let store: Store | undefined;
let proxy: TcpProxy | undefined;
let holder: Client | undefined;
afterEach(async () => {
  await holder?.end();
  await proxy?.close();
  await app?.close();
  await store?.close();
  [app, store, proxy, holder] = [undefined, undefined, undefined, undefined];
});

async function timed(
  request: () => Promise<{ statusCode: number; headers: object; body: string }>,
) {
  const start = performance.now();
  const res = await request();
  return { res, ms: performance.now() - start };
}

function expect503(res: { statusCode: number; headers: object; body: string }): void {
  expect(res.statusCode, res.body).toBe(503);
  expect((res.headers as Record<string, string>)["retry-after"]).toMatch(/^\d+$/);
  expect(JSON.parse(res.body)).toMatchObject({ code: "STORE_UNAVAILABLE", status: 503 });
}

for (const dialect of DIALECTS.filter((d) => d.name === "postgres")) {
  describeDialect(dialect, (db) => {
    it("ends a query waiting on another session's lock with 503 and Retry-After", {
      timeout: 30_000,
    }, async () => {
      store = await openStore(db.location(), { queryTimeoutMs: TIMEOUT_MS });
      ({ app } = await testServer(store, SLOS));
      const post = () =>
        (app as FastifyInstance).inject({
          method: "POST",
          url: "/api/v1/attempts",
          payload: RECORD,
        });
      const list = () =>
        (app as FastifyInstance).inject({ method: "GET", url: "/api/v1/attempts" });
      expect((await post()).statusCode).toBe(200);

      holder = new Client({ connectionString: db.location() });
      await holder.connect();
      await holder.query("begin");
      await holder.query("lock table attempts in access exclusive mode");
      for (const request of [list, post]) {
        const { res, ms } = await timed(request);
        expect503(res);
        expect(JSON.parse(res.body).detail).toMatch(/statement timeout/);
        expect(ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
        expect(ms).toBeLessThan(TIMEOUT_MS + GRACE_MS);
      }
      await holder.query("rollback");
      // The pool's connections are fine: the next requests are answered at once.
      expect((await post()).statusCode).toBe(200);
      const after = await list();
      expect(after.statusCode).toBe(200);
      expect(after.json().attempts).toHaveLength(1);
    });

    it("gives up a query whose database host vanished mid-query, with 503 and Retry-After", {
      timeout: 30_000,
    }, async () => {
      const direct = new URL(db.location());
      proxy = await startTcpProxy({
        host: direct.hostname,
        port: Number(direct.port === "" ? 5432 : direct.port),
      });
      const viaProxy = new URL(direct);
      viaProxy.hostname = "127.0.0.1";
      viaProxy.port = String(proxy.port);
      store = await openStore(viaProxy.toString(), { queryTimeoutMs: TIMEOUT_MS });
      ({ app } = await testServer(store, SLOS));
      const list = () =>
        (app as FastifyInstance).inject({ method: "GET", url: "/api/v1/attempts" });
      expect((await list()).statusCode).toBe(200);
      proxy.freeze();
      const { res, ms } = await timed(list);
      expect503(res);
      expect(JSON.parse(res.body).detail).toMatch(/Query read timeout/);
      expect(ms).toBeGreaterThanOrEqual(TIMEOUT_MS + GRACE_MS - 50);
      expect(ms).toBeLessThan(TIMEOUT_MS + GRACE_MS + 2_000);
      // The connection the query was given up on is never used again: it may still be waiting
      // for that query's answer. The next request gets a new connection and is answered.
      proxy.thaw();
      const next = await timed(list);
      expect(next.res.statusCode, next.res.body).toBe(200);
      expect(next.ms).toBeLessThan(2_000);
    });
  });
}
