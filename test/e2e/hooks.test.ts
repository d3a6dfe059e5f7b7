import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, expect, it } from "vitest";
import { describeDialect } from "../store/describe-dialect.js";
import { DIALECTS } from "../store/dialects.js";
import {
  call,
  pollUntil,
  type SpawnedServer,
  spawnServer,
  stopAllServers,
} from "../support/spawn-server.js";

// The receivers on the built server: an MLflow alias move, Argo CD's sync notifications and a
// first inference make one attempt whose trace holds them all; and kill -9 in the middle of
// hook deliveries loses none that was acknowledged (docs/integrations.md), on both dialects.

const SPEC = "test/fixtures/slos.yaml";
const SECRET = "mlflow-webhook-secret-e2e";
const fixture = (name: string) => readFileSync(`test/fixtures/hooks/${name}`, "utf8");

interface HookReply {
  status: number;
  json: { attemptId?: string | null; accepted?: number; duplicates?: number } & Record<
    string,
    unknown
  >;
  text: string;
}

async function hook(
  server: SpawnedServer,
  source: string,
  body: string,
  headers: Record<string, string> = {},
  timeoutMs = 10_000,
): Promise<HookReply> {
  const target = new URL(`/api/v1/hooks/${source}`, server.url);
  if (target.hostname !== "127.0.0.1") throw new Error(`tests talk to 127.0.0.1 only: ${target}`);
  const response = await fetch(target, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  return { status: response.status, text, json: JSON.parse(text) };
}

/** Signed as MLflow signs (mlflow/webhooks/delivery.py), with the wall clock's timestamp. */
function mlflowHeaders(body: string, deliveryId: string): Record<string, string> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = createHmac("sha256", SECRET)
    .update(`${deliveryId}.${timestamp}.${body}`)
    .digest("base64");
  return {
    "x-mlflow-delivery-id": deliveryId,
    "x-mlflow-timestamp": timestamp,
    "x-mlflow-signature": `v1,${signature}`,
  };
}

const serveArgs = [
  "--log-level",
  "warn",
  "--hook-secret",
  `mlflow=${SECRET}`,
  "--mlflow-alias",
  "champion=production",
];

afterEach(stopAllServers);

it("an alias move, Argo CD's sync and a first inference make one attempt with one trace", {
  timeout: 30_000,
}, async () => {
  const server = await spawnServer({ config: [SPEC], database: ":memory:", args: serveArgs });
  const move = fixture("mlflow-model-version-alias-created.json");
  const promoted = await hook(server, "mlflow", move, mlflowHeaders(move, "delivery-1"));
  expect(promoted.status, promoted.text).toBe(200);
  const attemptId = promoted.json.attemptId;
  if (typeof attemptId !== "string") throw new Error(promoted.text);
  for (const name of [
    "argocd-sync-running.json",
    "argocd-sync-succeeded.json",
    "argocd-app-deployed.json",
  ]) {
    const reply = await hook(server, "argocd", fixture(name));
    expect(reply.status, reply.text).toBe(200);
    expect(reply.json.attemptId).toBe(attemptId);
  }
  const served = await call(server.url, "POST", "/api/v1/events", {
    type: "attempt.serving",
    attemptId,
    at: "2026-10-14T09:03:05Z",
  });
  expect(served.status, served.text).toBe(200);

  const trace = await call(server.url, "GET", `/api/v1/attempts/${attemptId}/trace`);
  expect(trace.status, trace.text).toBe(200);
  const { attempt } = trace.json as {
    attempt: { startedAt: string; servingAt: string; outcome: string; stages: { name: string }[] };
  };
  expect(attempt).toMatchObject({
    startedAt: "2026-10-14T09:00:00.080Z",
    servingAt: "2026-10-14T09:03:05.000Z",
    outcome: "succeeded",
  });
  expect(attempt.stages.map((stage) => stage.name)).toEqual(["sync", "health-check"]);
  const listed = await call(server.url, "GET", "/api/v1/attempts?limit=10");
  expect((listed.json as { attempts: unknown[] }).attempts).toHaveLength(1);
});

it("serve --mlflow-tracking-uri polls the watched alias and records its move", {
  timeout: 30_000,
}, async () => {
  // A small MLflow on loopback answering GET /api/2.0/mlflow/registered-models/alias.
  let version = "7";
  const authorizations: (string | undefined)[] = [];
  const mlflow = createServer((request, response) => {
    authorizations.push(request.headers.authorization);
    const url = new URL(request.url ?? "/", "http://localhost");
    const found = url.pathname === "/api/2.0/mlflow/registered-models/alias";
    response.writeHead(found ? 200 : 404, { "content-type": "application/json" });
    response.end(
      JSON.stringify(
        found
          ? {
              model_version: { name: url.searchParams.get("name"), version, aliases: ["champion"] },
            }
          : { error_code: "ENDPOINT_NOT_FOUND" },
      ),
    );
  });
  await new Promise<void>((resolve) => mlflow.listen(0, "127.0.0.1", resolve));
  try {
    const port = (mlflow.address() as AddressInfo).port;
    const server = await spawnServer({
      config: [SPEC],
      database: ":memory:",
      env: { MLFLOW_TRACKING_TOKEN: "mlflow-token" },
      args: [
        ...serveArgs,
        "--mlflow-tracking-uri",
        `http://127.0.0.1:${port}`,
        "--mlflow-watch",
        "fraud-model@champion",
        "--mlflow-poll-interval",
        "1s",
      ],
    });
    const versions = async () => {
      const listed = await call(server.url, "GET", "/api/v1/attempts?model=fraud-model");
      return (listed.json as { attempts: { version: string; environment: string }[] }).attempts;
    };
    await pollUntil(
      () => "the poller's first attempt",
      async () => ((await versions()).length === 1 ? true : undefined),
      { timeoutMs: 15_000, intervalMs: 200 },
    );
    version = "8";
    await pollUntil(
      () => "the attempt of the move to 8",
      async () => ((await versions()).length === 2 ? true : undefined),
      { timeoutMs: 15_000, intervalMs: 200 },
    );
    expect((await versions()).map((a) => [a.version, a.environment])).toEqual([
      ["8", "production"],
      ["7", "production"],
    ]);
    expect(authorizations[0]).toBe("Bearer mlflow-token");
  } finally {
    mlflow.closeAllConnections();
    await new Promise<void>((resolve) => mlflow.close(() => resolve()));
  }
});

const CLIENTS = 4;
const LOAD_MS = 1_500;
const MIN_ACKED = 40;

for (const dialect of DIALECTS) {
  describeDialect(dialect, (db) => {
    it("keeps every acknowledged delivery across kill -9 mid-load", {
      timeout: 60_000,
    }, async () => {
      const serve = () => spawnServer({ config: [SPEC], database: db.location(), args: serveArgs });
      const first = await serve();
      const running = JSON.parse(fixture("argocd-sync-running.json"));
      // Each round promotes its own model (an MLflow alias move) and then reports its sync.
      const acked = new Map<string, string>();
      const unexpected: string[] = [];
      let stopping = false;
      let inFlight = 0;
      async function client(c: number): Promise<void> {
        for (let round = 0; round < 100_000 && !stopping; round++) {
          const model = `crash-${c}-${round}`;
          const move = fixture("mlflow-model-version-alias-created.json").replace(
            "fraud-model",
            model,
          );
          inFlight++;
          try {
            const promoted = await hook(first, "mlflow", move, mlflowHeaders(move, model), 5_000);
            const sync = JSON.stringify({ ...running, app: `${model}-production`, model });
            const synced = await hook(first, "argocd", sync, {}, 5_000);
            for (const reply of [promoted, synced]) {
              if (reply.status !== 200 || reply.json.accepted === 0) unexpected.push(reply.text);
            }
            if (promoted.json.attemptId !== synced.json.attemptId)
              unexpected.push(`${model}: two attempts`);
            acked.set(model, String(promoted.json.attemptId));
          } catch (error) {
            if (!stopping) unexpected.push(`client ${c}: ${(error as Error).message}`);
            return;
          } finally {
            inFlight--;
          }
        }
      }
      const load = Array.from({ length: CLIENTS }, (_, c) => client(c));
      const begin = performance.now();
      try {
        await pollUntil(
          () =>
            `${MIN_ACKED} acknowledged deliveries (got ${acked.size}; ${unexpected.join("; ")})`,
          async () =>
            (performance.now() - begin >= LOAD_MS && acked.size >= MIN_ACKED) ||
            unexpected.length > 0 ||
            undefined,
          { timeoutMs: 20_000, intervalMs: 50 },
        );
      } finally {
        stopping = true;
      }
      const inFlightAtKill = inFlight;
      expect((await first.stop("SIGKILL")).signal).toBe("SIGKILL");
      await Promise.all(load);
      expect(unexpected, first.logs()).toEqual([]);
      expect(inFlightAtKill, "the kill came while deliveries were in flight").toBeGreaterThan(0);

      const second = await serve();
      for (const [model, attemptId] of acked) {
        const one = await call(second.url, "GET", `/api/v1/attempts/${attemptId}`);
        expect(one.status, `${model}: ${one.text}`).toBe(200);
        expect(one.json).toMatchObject({ model, version: "7", environment: "production" });
        expect((one.json as { stages: { name: string }[] }).stages.map((s) => s.name)).toEqual([
          "sync",
        ]);
      }
      // A redelivery of an acknowledged alias move after the restart is stored nothing twice.
      const [model] = [...acked.keys()];
      const move = fixture("mlflow-model-version-alias-created.json").replace(
        "fraud-model",
        model ?? "",
      );
      const again = await hook(second, "mlflow", move, mlflowHeaders(move, model ?? ""));
      expect(again.json).toMatchObject({
        accepted: 0,
        duplicates: 1,
        attemptId: acked.get(model ?? ""),
      });
      expect((await second.stop("SIGTERM")).code).toBe(0);
    });
  });
}
