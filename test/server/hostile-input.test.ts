import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";
import { expect, it } from "vitest";
import { parseSloSpecs } from "../../src/core/spec/parse-slo-specs.js";
import { attemptBatchDecoder, INLINE_BELOW_BYTES } from "../../src/ingest/attempt-batch-decoder.js";
import type { Store } from "../../src/store/store.js";
import { describeDialect } from "../store/describe-dialect.js";
import { DIALECTS } from "../store/dialects.js";
import { testServer } from "../support/test-server.js";

const SLOS = parseSloSpecs(readFileSync("test/fixtures/slos.yaml", "utf8"), "slos.yaml").slos;
const BUILT_WORKER = new URL("../../dist/ingest/attempt-batch-worker.js", import.meta.url);
const JSON_TYPE = { "content-type": "application/json" };

const record = (id: string, fields: Record<string, unknown> = {}) => ({
  id,
  model: "fraud-detector",
  version: "1",
  environment: "production",
  startedAt: "2026-10-14T09:00:00Z",
  servingAt: "2026-10-14T09:01:00Z",
  ...fields,
});

/** JSON of `value` with the string "NESTED" replaced by `depth` nested arrays. */
function withNesting(value: unknown, depth: number): string {
  return JSON.stringify(value).replace('"NESTED"', `${"[".repeat(depth)}${"]".repeat(depth)}`);
}

async function stored(app: FastifyInstance): Promise<unknown> {
  const res = await app.inject({ method: "GET", url: "/api/v1/attempts?limit=1000" });
  return res.json();
}

interface Request {
  readonly method: "GET" | "POST";
  readonly url: string;
  readonly payload?: string | object;
  readonly headers?: Record<string, string>;
}

async function problem(
  app: FastifyInstance,
  request: Request,
): Promise<{ status: number; code: string; detail: string; errors?: string[] }> {
  const res = await app.inject(request);
  expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
  expect(res.statusCode, res.body).toBeLessThan(500);
  expect(res.headers["content-type"]).toContain("application/problem+json");
  return res.json();
}

for (const dialect of DIALECTS) {
  describeDialect(dialect, (context) => {
    async function serve(options: Parameters<typeof testServer>[2] = {}) {
      const store: Store = await context.open();
      const { app } = await testServer(store, SLOS, options);
      return app;
    }

    it("answers a model of 5,000 nested arrays with a 400 naming model, on attempts and events", async () => {
      const app = await serve();
      const attempts = await problem(app, {
        method: "POST",
        url: "/api/v1/attempts",
        headers: JSON_TYPE,
        payload: withNesting(record("deep", { model: "NESTED" }), 5000),
      });
      expect(attempts.code).toBe("RECORD_INVALID");
      expect(attempts.errors?.[0]).toMatch(/^body: model must be a non-empty string, got \[\[\[/);
      const events = await problem(app, {
        method: "POST",
        url: "/api/v1/events",
        headers: JSON_TYPE,
        payload: withNesting(
          {
            type: "attempt.started",
            attemptId: "deep",
            at: "2026-10-14T09:00:00Z",
            model: "NESTED",
            version: "1",
            environment: "production",
          },
          5000,
        ),
      });
      expect(events.code).toBe("EVENT_INVALID");
      expect(events.errors?.[0]).toMatch(/^body: model must be a non-empty string/);
      expect(await stored(app)).toEqual({ attempts: [], nextCursor: null });
      await app.close();
    });

    it.skipIf(!existsSync(fileURLToPath(BUILT_WORKER)))(
      "answers deep nesting with a 400 on the ingest worker thread too",
      async () => {
        const decoder = attemptBatchDecoder({ workers: 1, workerUrl: BUILT_WORKER });
        const app = await serve({ attemptBatches: decoder });
        try {
          const payload = withNesting(record("deep", { model: "NESTED" }), 40_000);
          expect(payload.length).toBeGreaterThan(INLINE_BELOW_BYTES);
          const res = await problem(app, {
            method: "POST",
            url: "/api/v1/attempts",
            headers: JSON_TYPE,
            payload,
          });
          expect(res.errors?.[0]).toMatch(/^body: model must be a non-empty string/);
        } finally {
          await app.close();
          await decoder.close();
        }
      },
    );

    it("refuses NUL in query and path parameters with a 400 naming the parameter", async () => {
      const app = await serve();
      for (const [url, name] of [
        ["/api/v1/attempts?model=%00", "query parameter model"],
        ["/api/v1/attempts/a%00b", "path parameter id"],
        ["/api/v1/attempts/a%00b/trace", "path parameter id"],
        ["/api/v1/overview?model=%00", "query parameter model"],
        ["/api/v1/stages?model=%00", "query parameter model"],
        ["/api/v1/alerts?slo=%00", "query parameter slo"],
        ["/api/v1/slos/a%00b", "path parameter name"],
      ] as const) {
        const res = await problem(app, { method: "GET", url });
        expect(res.status, url).toBe(400);
        expect(res.detail, url).toBe(`${name} contains a NUL character (\\u0000)`);
      }
      await app.close();
    });

    it("refuses NUL in approval and gate bodies with a 400 naming the field", async () => {
      const app = await serve();
      const approval = await problem(app, {
        method: "POST",
        url: "/api/v1/approvals",
        payload: { model: "m", environment: "production", version: "\u0000", reason: "ok" },
      });
      expect(approval.status).toBe(400);
      expect(JSON.stringify(approval)).toContain("version");
      const gate = await problem(app, {
        method: "POST",
        url: "/api/v1/gate",
        payload: { model: "m", environment: "production", labels: { team: "a\u0000" } },
      });
      expect(gate.status).toBe(400);
      expect(JSON.stringify(gate)).toContain("labels.team");
      await app.close();
    });

    it("refuses a cursor holding NUL as any invalid cursor", async () => {
      const app = await serve();
      const cursor = Buffer.from(JSON.stringify([1, "a\u0000b"])).toString("base64url");
      const res = await problem(app, { method: "GET", url: `/api/v1/attempts?cursor=${cursor}` });
      expect(res.detail).toMatch(/^cursor is not valid/);
      await app.close();
    });

    it("refuses NUL and lone surrogates in records and events, naming the field, and stores nothing", async () => {
      const app = await serve();
      const cases: [unknown, string][] = [
        [record("a\u0000b"), "body: id contains a NUL character"],
        [record("ok", { model: "m\ud800" }), "body: model contains a lone UTF-16 surrogate"],
        [record("ok", { labels: { team: "\udc00" } }), "body: labels.team contains a lone"],
        [
          record("ok", { labels: { "t\u0000": "x" } }),
          'body: labels key "t\\u0000" contains a NUL',
        ],
        [record("ok", { attributes: { note: "a\u0000" } }), "body: attributes.note contains a NUL"],
        [
          record("ok", { stages: [{ name: "v\u0000", startedAt: "2026-10-14T09:00:00Z" }] }),
          "body: stages[0].name contains a NUL",
        ],
      ];
      for (const [value, message] of cases) {
        const res = await problem(app, {
          method: "POST",
          url: "/api/v1/attempts",
          payload: value as object,
        });
        expect(res.errors?.[0]).toContain(message);
      }
      const event = await problem(app, {
        method: "POST",
        url: "/api/v1/events",
        payload: { type: "attempt.serving", attemptId: "a\u0000", at: "2026-10-14T09:00:00Z" },
      });
      expect(event.errors?.[0]).toBe("body: attemptId contains a NUL character (\\u0000)");
      expect(await stored(app)).toEqual({ attempts: [], nextCursor: null });
      // A pair of surrogates (an emoji) is valid text and is kept exactly.
      const emoji = await app.inject({
        method: "POST",
        url: "/api/v1/attempts",
        payload: record("🚀-1", { labels: { team: "équipe 🚀" } }),
      });
      expect(emoji.statusCode).toBe(200);
      const read = await app.inject({
        method: "GET",
        url: `/api/v1/attempts/${encodeURIComponent("🚀-1")}`,
      });
      expect(read.json()).toMatchObject({ id: "🚀-1", labels: { team: "équipe 🚀" } });
      await app.close();
    });

    it("reads back an id of 256 characters, also by its trace, and refuses 257", async () => {
      const app = await serve();
      const id = `${"é".repeat(128)}${"y".repeat(128)}`;
      const posted = await app.inject({
        method: "POST",
        url: "/api/v1/attempts",
        payload: record(id),
      });
      expect(posted.statusCode).toBe(200);
      const one = await app.inject({
        method: "GET",
        url: `/api/v1/attempts/${encodeURIComponent(id)}`,
      });
      expect(one.statusCode, one.body).toBe(200);
      expect(one.json()).toMatchObject({ id });
      const trace = await app.inject({
        method: "GET",
        url: `/api/v1/attempts/${encodeURIComponent(id)}/trace`,
      });
      expect(trace.statusCode, trace.body).toBe(200);
      const long = await problem(app, {
        method: "POST",
        url: "/api/v1/attempts",
        payload: record(`${id}z`),
      });
      expect(long.errors?.[0]).toBe("body: id is longer than 256 characters");
      await app.close();
    });

    it("refuses a record of 200,000 labels, and bounds attributes, stages and dependencies", async () => {
      const app = await serve();
      const many = Object.fromEntries(Array.from({ length: 200_000 }, (_, i) => [`k${i}`, "v"]));
      const labels = await problem(app, {
        method: "POST",
        url: "/api/v1/attempts",
        payload: record("big", { labels: many }),
      });
      expect(labels.status).toBe(400);
      expect(labels.errors).toEqual(["body: labels has 200000 entries; at most 64 are allowed"]);
      const stage = {
        name: "s",
        startedAt: "2026-10-14T09:00:00Z",
        endedAt: "2026-10-14T09:00:01Z",
      };
      const dependency = { name: "image_pull", seconds: 1 };
      const attrs = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`a${i}`, i]));
      for (const [fields, message] of [
        [
          { stages: Array(101).fill(stage) },
          "body: stages has 101 entries; at most 100 are allowed",
        ],
        [
          { dependencies: Array(1001).fill(dependency) },
          "body: dependencies has 1001 entries; at most 1000 are allowed",
        ],
        [{ attributes: attrs }, "body: attributes has 65 entries; at most 64 are allowed"],
        [
          { stages: [{ ...stage, attributes: attrs }] },
          "body: stages[0].attributes has 65 entries; at most 64 are allowed",
        ],
      ] as const) {
        const res = await problem(app, {
          method: "POST",
          url: "/api/v1/attempts",
          payload: record("big", fields),
        });
        expect(res.errors).toEqual([message]);
      }
      const event = await problem(app, {
        method: "POST",
        url: "/api/v1/events",
        payload: {
          type: "attempt.started",
          attemptId: "big",
          at: "2026-10-14T09:00:00Z",
          model: "m",
          version: "1",
          environment: "production",
          labels: many,
        },
      });
      expect(event.errors).toEqual(["body: labels has 200000 entries; at most 64 are allowed"]);
      expect(await stored(app)).toEqual({ attempts: [], nextCursor: null });
      await app.close();
    });

    it("takes other limits from the server's configuration", async () => {
      const app = await serve({
        recordLimits: { labels: 2, attributes: 1, stages: 1, dependencies: 1 },
      });
      const three = await problem(app, {
        method: "POST",
        url: "/api/v1/attempts",
        payload: record("x", { labels: { a: "1", b: "2", c: "3" } }),
      });
      expect(three.errors).toEqual(["body: labels has 3 entries; at most 2 are allowed"]);
      const two = await app.inject({
        method: "POST",
        url: "/api/v1/attempts",
        payload: record("x", { labels: { a: "1", b: "2" } }),
      });
      expect(two.statusCode).toBe(200);
      await app.close();
    });
  });
}
