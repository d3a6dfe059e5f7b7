import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import type { FastifyInstance } from "fastify";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseSloSpecs } from "../../src/core/spec/parse-slo-specs.js";
import type { HookSettings } from "../../src/integrations/hooks/hook-settings.js";
import type { ApiToken } from "../../src/server/server-config.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store.js";
import { testServer } from "../support/test-server.js";

// Webhook deliveries under the shared authentication (docs/integrations.md, "Authentication"):
// a tool's valid signature acts as the token for its own hook; every other delivery is a write
// like POST /api/v1/events: a bearer token with the ingest role, its scope, its rate limit.

const SLOS = parseSloSpecs(readFileSync("test/fixtures/slos.yaml", "utf8"), "slos.yaml").slos;
const NOW = Date.parse("2026-10-14T09:30:00Z");
const MLFLOW_SECRET = "mlflow-webhook-secret";
const ADMIN = "admin-token-0123456789";
const READER = "read-token-0123456789";
const TEAM = "team-ingest-token-0123456789";
const OTHER_TEAM = "other-team-token-0123456789";
const LIMITED = "limited-ingest-token-0123456789";
const TOKENS: ApiToken[] = [
  { name: "ops", role: "admin", token: ADMIN },
  { name: "dash", role: "read", token: READER },
  {
    name: "fraud-ci",
    role: "ingest",
    token: TEAM,
    scope: { models: ["fraud-model"], environments: ["production"] },
  },
  { name: "reco-ci", role: "ingest", token: OTHER_TEAM, scope: { models: ["recommender"] } },
  {
    name: "limited",
    role: "ingest",
    token: LIMITED,
    rateLimit: { perSecond: 0.001, burst: 2 },
  },
];
const SETTINGS: HookSettings = {
  secrets: { mlflow: MLFLOW_SECRET },
  mlflow: { aliases: new Map([["champion", "production"]]) },
};

const fixture = (name: string) => readFileSync(`test/fixtures/hooks/${name}`, "utf8");
const ALIAS_MOVE = fixture("mlflow-model-version-alias-created.json");
const SYNC = fixture("argocd-sync-running.json");

let store: Store;
let app: FastifyInstance;
beforeEach(async () => {
  store = await openStore(":memory:");
  ({ app } = await testServer(store, SLOS, { tokens: TOKENS, hooks: SETTINGS, now: NOW }));
});
afterEach(async () => {
  await app.close();
  await store.close();
});

function mlflowHeaders(body: string, deliveryId: string, secret = MLFLOW_SECRET) {
  const timestamp = String(Math.floor(NOW / 1000));
  const signature = createHmac("sha256", secret)
    .update(`${deliveryId}.${timestamp}.${body}`)
    .digest("base64");
  return {
    "content-type": "application/json",
    "x-mlflow-delivery-id": deliveryId,
    "x-mlflow-timestamp": timestamp,
    "x-mlflow-signature": `v1,${signature}`,
  };
}

const bearer = (token: string) => ({
  "content-type": "application/json",
  authorization: `Bearer ${token}`,
});

function post(source: string, payload: string, headers: Record<string, string>) {
  return app.inject({ method: "POST", url: `/api/v1/hooks/${source}`, payload, headers });
}

async function attempts() {
  return (await store.listAttempts({}, { limit: 100 })).attempts;
}

describe("a signing tool's hook", () => {
  it("takes a valid signature as the token, without a bearer token", async () => {
    const reply = await post("mlflow", ALIAS_MOVE, mlflowHeaders(ALIAS_MOVE, "d-1"));
    expect(reply.statusCode, reply.body).toBe(200);
    expect(await attempts()).toHaveLength(1);
  });

  it("refuses a bad or missing signature with 401 and stores nothing, whatever token comes with it", async () => {
    const cases = [
      mlflowHeaders(ALIAS_MOVE, "d-1", "another-secret-0123456789"),
      { ...mlflowHeaders(ALIAS_MOVE, "d-1"), "x-mlflow-signature": "v1,AAAA" },
      { ...bearer(ADMIN), "x-mlflow-delivery-id": "d-1" },
      { ...mlflowHeaders(ALIAS_MOVE, "d-1", "another-secret-0123456789"), ...bearer(ADMIN) },
    ];
    for (const headers of cases) {
      const reply = await post("mlflow", ALIAS_MOVE, headers);
      expect(reply.statusCode, reply.body).toBe(401);
      expect(reply.json()).toMatchObject({ code: "UNAUTHORIZED" });
    }
    expect(await attempts()).toEqual([]);
  });

  it("is a token for its own hook only", async () => {
    const headers = mlflowHeaders(ALIAS_MOVE, "d-1");
    const events = await app.inject({
      method: "POST",
      url: "/api/v1/events",
      headers,
      payload: ALIAS_MOVE,
    });
    expect(events.statusCode).toBe(401);
    // Argo CD does not sign: MLflow's signed headers do not make its delivery authentic.
    const argo = await post("argocd", SYNC, headers);
    expect(argo.statusCode).toBe(401);
    expect(await attempts()).toEqual([]);
  });
});

describe("a bearer-token delivery", () => {
  it("needs the ingest role: 401 without a token, 403 with a read token, nothing stored", async () => {
    const none = await post("argocd", SYNC, { "content-type": "application/json" });
    expect(none.statusCode).toBe(401);
    const read = await post("argocd", SYNC, bearer(READER));
    expect(read.statusCode, read.body).toBe(403);
    expect(read.json()).toMatchObject({ code: "FORBIDDEN" });
    expect(read.json().detail).toContain("needs ingest");
    expect(await attempts()).toEqual([]);
  });

  it("from a scoped token records attempts in its scope and refuses the others with 403", async () => {
    const outside = await post("argocd", SYNC, bearer(OTHER_TEAM));
    expect(outside.statusCode, outside.body).toBe(403);
    expect(outside.json().detail).toContain("outside the token's scope");
    expect(String(outside.json().errors)).toContain('model "fraud-model"');
    expect(await attempts()).toEqual([]);

    const inside = await post("argocd", SYNC, bearer(TEAM));
    expect(inside.statusCode, inside.body).toBe(200);
    const [attempt, ...rest] = await attempts();
    expect(rest).toEqual([]);
    expect(attempt).toMatchObject({ id: inside.json().attemptId, model: "fraud-model" });

    // Naming another team's attempt outright is refused too, and changes nothing of it.
    const named = JSON.stringify({ ...JSON.parse(SYNC), attemptId: attempt?.id, model: "x" });
    const takeover = await post("argocd", named, bearer(OTHER_TEAM));
    expect(takeover.statusCode, takeover.body).toBe(403);
    expect(await store.getAttempt(attempt?.id ?? "")).toEqual(attempt);
  });

  it("counts against its token's rate limit like any request: 429 with Retry-After", async () => {
    const replies = [];
    for (let i = 0; i < 3; i++) replies.push(await post("argocd", SYNC, bearer(LIMITED)));
    expect(replies.map((reply) => reply.statusCode)).toEqual([200, 200, 429]);
    expect(replies[2]?.json()).toMatchObject({ code: "RATE_LIMITED" });
    expect(Number(replies[2]?.headers["retry-after"])).toBeGreaterThan(0);
    // Other tokens, and signed deliveries, are not held back by it.
    const signed = await post("mlflow", ALIAS_MOVE, mlflowHeaders(ALIAS_MOVE, "d-1"));
    expect(signed.statusCode, signed.body).toBe(200);
    const admin = await post("argocd", SYNC, bearer(ADMIN));
    expect(admin.statusCode, admin.body).toBe(200);
  });
});
