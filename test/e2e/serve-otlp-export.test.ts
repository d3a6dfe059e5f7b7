import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { openStore } from "../../src/store/open-store.js";
import { type HttpReceiver, startReceiver } from "../support/http-receiver.js";
import { call, pollUntil, spawnServer, stopAllServers } from "../support/spawn-server.js";

// The built `deployslo serve --otlp-endpoint` sends a finished attempt, recorded through the
// API, to a real OTLP/HTTP receiver on loopback, with the headers it was given.

let dir: string;
let receiver: HttpReceiver;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "deployslo-otlp-e2e-"));
  receiver = await startReceiver();
  receiver.fallback = { status: 200, body: "{}" };
});
afterEach(async () => {
  await stopAllServers();
  await receiver.close();
  rmSync(dir, { recursive: true, force: true });
});

it("exports an attempt recorded after it started, once", { timeout: 60_000 }, async () => {
  const database = join(dir, "deployslo.db");
  // Start the exporter's cursor at the beginning, so the test does not race the first round.
  const store = await openStore(database);
  await store.exportCursor("otlp");
  await store.close();
  const server = await spawnServer({
    config: ["test/fixtures/slos.yaml"],
    database,
    args: ["--log-level", "warn", "--otlp-endpoint", receiver.url, "--otlp-header", "x-scope=ml"],
    env: { OTEL_EXPORTER_OTLP_HEADERS: "authorization=Bearer%20collector-token" },
  });
  const posted = await call(server.url, "POST", "/api/v1/attempts", {
    id: "e2e-1",
    model: "fraud-detector",
    version: "3",
    environment: "production",
    startedAt: "2026-10-14T09:00:00Z",
    servingAt: "2026-10-14T09:03:00Z",
    endedAt: "2026-10-14T09:03:05Z",
    stages: [
      { name: "validate", startedAt: "2026-10-14T09:00:00Z", endedAt: "2026-10-14T09:00:04Z" },
    ],
  });
  expect(posted.status, posted.text).toBe(200);
  await pollUntil(
    () => `an export request (got ${receiver.requests.length}): ${server.logs()}`,
    async () => receiver.requests.length > 0 || undefined,
    { timeoutMs: 20_000, intervalMs: 100 },
  );
  const [request] = receiver.requests;
  expect(request?.path).toBe("/v1/traces");
  expect(request?.headers.authorization).toBe("Bearer collector-token");
  expect(request?.headers["x-scope"]).toBe("ml");
  const body = JSON.parse(request?.body ?? "{}");
  const spans = body.resourceSpans[0].scopeSpans[0].spans as { name: string }[];
  expect(spans.map((s) => s.name)).toEqual(["RUN promote fraud-detector", "validate"]);
  // Rounds go on every 5 s; nothing is sent twice.
  await new Promise((resolve) => setTimeout(resolve, 6_000));
  expect(receiver.requests).toHaveLength(1);
  expect((await server.stop("SIGTERM")).code).toBe(0);
});
