import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import type { FastifyInstance } from "fastify";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseSloSpecs } from "../../src/core/spec/parse-slo-specs.js";
import type { HookSettings } from "../../src/integrations/hooks/hook-settings.js";
import { parseTokens } from "../../src/server/server-config.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store.js";
import { testServer } from "../support/test-server.js";

// Receivers at POST /api/v1/hooks/{source}, fed the fixtures of test/fixtures/hooks (shaped as
// each tool sends them: see SOURCES.md there), over a real store.

const SLOS = parseSloSpecs(readFileSync("test/fixtures/slos.yaml", "utf8"), "slos.yaml").slos;
const NOW = Date.parse("2026-10-14T09:30:00Z");
const MLFLOW_SECRET = "mlflow-webhook-secret";
const GITHUB_SECRET = "github-webhook-secret";
const INGEST = "ingest-token-0123456789";
const SETTINGS: HookSettings = {
  secrets: { mlflow: MLFLOW_SECRET, github: GITHUB_SECRET },
  mlflow: { aliases: new Map([["champion", "production"]]) },
};

const fixture = (name: string) => readFileSync(`test/fixtures/hooks/${name}`, "utf8");

let store: Store;
let app: FastifyInstance;
let now = NOW;

beforeEach(async () => {
  now = NOW;
  store = await openStore(":memory:");
  ({ app } = await testServer(store, SLOS, {
    hooks: SETTINGS,
    tokens: parseTokens(`ci:ingest:${INGEST}`, "test"),
    clock: () => now,
  }));
});
afterEach(async () => {
  await app.close();
  await store.close();
});

/** Signs like mlflow/webhooks/delivery.py: v1,base64(HMAC-SHA256(`{id}.{ts}.{body}`)). */
function mlflowHeaders(body: string, deliveryId: string, at = now, secret = MLFLOW_SECRET) {
  const timestamp = String(Math.floor(at / 1000));
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

function githubHeaders(body: string, event: string, secret = GITHUB_SECRET) {
  const signature = createHmac("sha256", secret).update(body).digest("hex");
  return {
    "content-type": "application/json",
    "x-github-event": event,
    "x-github-delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958",
    "x-hub-signature-256": `sha256=${signature}`,
  };
}

const bearer = { "content-type": "application/json", authorization: `Bearer ${INGEST}` };

function post(source: string, payload: string, headers: Record<string, string>) {
  return app.inject({ method: "POST", url: `/api/v1/hooks/${source}`, payload, headers });
}

const promote = (deliveryId = "d-1", body = fixture("mlflow-model-version-alias-created.json")) =>
  post("mlflow", body, mlflowHeaders(body, deliveryId));
const argo = (name: string) => post("argocd", fixture(name), bearer);
const cdevent = (name: string) => post("cdevents", fixture(name), bearer);
const kserve = (name: string) => post("kserve", fixture(name), bearer);
const github = (name: string, event: string) =>
  post("github", fixture(name), githubHeaders(fixture(name), event));

async function attempts() {
  return (await store.listAttempts({}, { limit: 100 })).attempts;
}

describe("MLflow", () => {
  it("starts an attempt at the alias move's timestamp, once per delivery id", async () => {
    const first = await promote();
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ accepted: 1, duplicates: 0, attempts: 1 });
    const again = await promote();
    expect(again.json()).toMatchObject({ accepted: 0, duplicates: 1 });
    const [attempt, ...rest] = await attempts();
    expect(rest).toEqual([]);
    expect(attempt).toMatchObject({
      id: first.json().attemptId,
      model: "fraud-model",
      version: "7",
      environment: "production",
      startedAt: Date.parse("2026-10-14T09:00:00.080Z"),
      outcome: "in_progress",
    });
    expect(attempt?.attributes).toMatchObject({ "mlflow.alias": "champion" });
  });

  it("refuses a bad signature, a wrong secret, a stale or future timestamp: 401, nothing stored", async () => {
    const body = fixture("mlflow-model-version-alias-created.json");
    const cases = [
      { ...mlflowHeaders(body, "d-1"), "x-mlflow-signature": "v1,AAAA" },
      mlflowHeaders(body, "d-1", now, "another-secret"),
      mlflowHeaders(`${body} `, "d-1"),
      mlflowHeaders(body, "d-1", now - 301_000),
      mlflowHeaders(body, "d-1", now + 301_000),
      { "content-type": "application/json", "x-mlflow-delivery-id": "d-1" },
    ];
    for (const headers of cases) {
      const reply = await post("mlflow", body, headers);
      expect(reply.statusCode, reply.body).toBe(401);
      expect(reply.json()).toMatchObject({ code: "UNAUTHORIZED" });
    }
    const stale = await post("mlflow", body, mlflowHeaders(body, "d-1", now - 301_000));
    expect(stale.json().detail).toMatch(/X-MLflow-Timestamp is 301 s old/);
    expect(await attempts()).toEqual([]);
  });

  it("accepts a timestamp 4 minutes old", async () => {
    const body = fixture("mlflow-model-version-alias-created.json");
    const reply = await post("mlflow", body, mlflowHeaders(body, "d-1", now - 240_000));
    expect(reply.statusCode, reply.body).toBe(200);
  });

  it("refuses what is not an MLflow delivery with a 400 naming the field", async () => {
    const bad = [
      ["not json", "body"],
      [
        JSON.stringify({ entity: "model_version_alias", action: "created", data: {} }),
        "body.timestamp",
      ],
      [
        JSON.stringify({
          entity: "model_version_alias",
          action: "created",
          timestamp: "2026-10-14T09:00:00+00:00",
          data: { name: "m", alias: "champion" },
        }),
        "data.version",
      ],
    ] as const;
    for (const [body, field] of bad) {
      const reply = await post("mlflow", body, mlflowHeaders(body, "d-x"));
      expect(reply.statusCode, reply.body).toBe(400);
      expect(reply.json().detail).toContain(field);
    }
    expect(await attempts()).toEqual([]);
  });

  it("acknowledges and ignores unwatched aliases and other registry events", async () => {
    const moved = fixture("mlflow-model-version-alias-created.json").replace("champion", "shadow");
    const alias = await post("mlflow", moved, mlflowHeaders(moved, "d-2"));
    expect(alias.json()).toMatchObject({ accepted: 0, attemptId: null });
    expect(alias.json().ignored).toMatch(/alias "shadow" is not watched/);
    const created = fixture("mlflow-registered-model-created.json");
    const other = await post("mlflow", created, mlflowHeaders(created, "d-3"));
    expect(other.json().ignored).toMatch(/registered_model.created/);
    const version = fixture("mlflow-model-version-created.json");
    const registered = await post("mlflow", version, mlflowHeaders(version, "d-4"));
    expect(registered.json().ignored).toMatch(/mlflow-registered-environment/);
    expect(await attempts()).toEqual([]);
  });

  it("a promotion after the last one ended is a new attempt; while one is open it joins it", async () => {
    const first = (await promote("d-1")).json().attemptId;
    const joined = (await promote("d-1b")).json().attemptId;
    expect(joined).toBe(first);
    await app.inject({
      method: "POST",
      url: "/api/v1/events",
      headers: bearer,
      payload: { type: "attempt.serving", attemptId: first, at: "2026-10-14T09:03:00Z" },
    });
    const second = (await promote("d-2")).json().attemptId;
    expect(second).not.toBe(first);
    expect((await attempts()).map((a) => a.outcome).sort()).toEqual(["in_progress", "succeeded"]);
  });
});

describe("Argo CD", () => {
  it("needs a bearer token", async () => {
    const reply = await post("argocd", fixture("argocd-sync-running.json"), {
      "content-type": "application/json",
    });
    expect(reply.statusCode).toBe(401);
    expect(await attempts()).toEqual([]);
  });

  it("records the sync and health-check stages of the promoted attempt, in any order", async () => {
    const attemptId = (await promote()).json().attemptId;
    for (const name of [
      "argocd-app-deployed.json",
      "argocd-sync-running.json",
      "argocd-sync-succeeded.json",
    ]) {
      const reply = await argo(name);
      expect(reply.statusCode, reply.body).toBe(200);
      expect(reply.json().attemptId).toBe(attemptId);
    }
    const again = await argo("argocd-app-deployed.json");
    expect(again.json()).toMatchObject({ accepted: 0 });
    const attempt = await store.getAttempt(attemptId);
    expect(attempt?.stages.map((s) => [s.name, s.status, s.startedAt, s.endedAt])).toEqual([
      ["sync", "succeeded", Date.parse("2026-10-14T09:00:40Z"), Date.parse("2026-10-14T09:01:10Z")],
      [
        "health-check",
        "succeeded",
        Date.parse("2026-10-14T09:01:10Z"),
        Date.parse("2026-10-14T09:02:30Z"),
      ],
    ]);
  });

  it("arriving before the alias move gives the same single attempt, started at the move", async () => {
    const early = (await argo("argocd-sync-running.json")).json().attemptId;
    const late = (await promote()).json().attemptId;
    expect(late).toBe(early);
    const [attempt, ...rest] = await attempts();
    expect(rest).toEqual([]);
    expect(attempt?.startedAt).toBe(Date.parse("2026-10-14T09:00:00.080Z"));
  });

  it("deliveries of one key that arrive together make one attempt", async () => {
    const replies = await Promise.all([
      argo("argocd-sync-running.json"),
      argo("argocd-app-deployed.json"),
      promote(),
      github("github-deployment.json", "deployment"),
    ]);
    expect(replies.map((r) => r.statusCode)).toEqual([200, 200, 200, 200]);
    expect(new Set(replies.map((r) => r.json().attemptId)).size).toBe(1);
    expect(await attempts()).toHaveLength(1);
  });

  it("refuses a body that is not the template's, naming the field", async () => {
    const cases = [
      [{ ...JSON.parse(fixture("argocd-sync-running.json")), phase: "<no value>" }, "body.phase"],
      [
        { ...JSON.parse(fixture("argocd-sync-running.json")), startedAt: "yesterday" },
        "body.startedAt",
      ],
      [{ ...JSON.parse(fixture("argocd-sync-running.json")), environment: "" }, "environment"],
      [
        { ...JSON.parse(fixture("argocd-sync-succeeded.json")), finishedAt: "<no value>" },
        "finishedAt",
      ],
      [
        { ...JSON.parse(fixture("argocd-sync-running.json")), version: "", model: "unknown" },
        "version",
      ],
    ] as const;
    for (const [body, field] of cases) {
      const reply = await post("argocd", JSON.stringify(body), bearer);
      expect(reply.statusCode, reply.body).toBe(400);
      expect(JSON.stringify(reply.json())).toContain(field);
    }
    expect(await attempts()).toEqual([]);
  });
});

describe("CDEvents", () => {
  it("maps pipeline runs, task runs and service events of both context versions to stages", async () => {
    const attemptId = (await promote()).json().attemptId;
    for (const name of [
      "cdevents-taskrun-finished.json",
      "cdevents-pipelinerun-queued-v0.4.1.json",
      "cdevents-pipelinerun-started.json",
      "cdevents-taskrun-started.json",
      "cdevents-service-deployed.json",
      "cdevents-pipelinerun-finished.json",
    ]) {
      const reply = await cdevent(name);
      expect(reply.statusCode, reply.body).toBe(200);
      expect(reply.json().attemptId).toBe(attemptId);
    }
    const attempt = await store.getAttempt(attemptId);
    expect(attempt?.stages.map((s) => [s.name, s.status, s.kind])).toEqual([
      ["queue:deploy-model", "succeeded", "wait"],
      ["deploy-model", "failed", "active"],
      ["provision", "succeeded", "active"],
      ["deploy", "succeeded", "active"],
    ]);
    expect((await cdevent("cdevents-service-deployed.json")).json()).toMatchObject({ accepted: 0 });
  });

  it("ends the attempt rolled back on service.rolledback, found by the artifact's purl", async () => {
    const attemptId = (await promote()).json().attemptId;
    const reply = await cdevent("cdevents-service-rolledback.json");
    expect(reply.json().attemptId).toBe(attemptId);
    expect((await store.getAttempt(attemptId))?.outcome).toBe("rolled_back");
  });

  it("reads a CloudEvents structured-mode body", async () => {
    const attemptId = (await promote()).json().attemptId;
    const cloudEvent = {
      specversion: "1.0",
      id: "x",
      source: "/event/source/123",
      type: "dev.cdevents.service.deployed.0.3.0",
      data: JSON.parse(fixture("cdevents-service-deployed.json")),
    };
    const reply = await post("cdevents", JSON.stringify(cloudEvent), {
      ...bearer,
      "content-type": "application/cloudevents+json",
    });
    expect(reply.statusCode, reply.body).toBe(200);
    expect(reply.json().attemptId).toBe(attemptId);
  });

  it("refuses what is not a CDEvent, naming the field", async () => {
    const started = JSON.parse(fixture("cdevents-pipelinerun-started.json"));
    const cases = [
      [{ subject: started.subject }, "body.context"],
      [
        { ...started, context: { ...started.context, type: "pipeline.started" } },
        "body.context.type",
      ],
      [{ ...started, context: { ...started.context, specversion: undefined } }, "specversion"],
      [{ ...started, customData: { version: "7" } }, "customData.model"],
    ] as const;
    for (const [body, field] of cases) {
      const reply = await post("cdevents", JSON.stringify(body), bearer);
      expect(reply.statusCode, reply.body).toBe(400);
      expect(reply.json().detail).toContain(field);
    }
    expect(await attempts()).toEqual([]);
  });
});

describe("GitHub", () => {
  it("records the deploy stage from deployment to its final status; redelivery stores nothing", async () => {
    const attemptId = (await promote()).json().attemptId;
    const status = await github("github-deployment-status-success.json", "deployment_status");
    expect(status.statusCode, status.body).toBe(200);
    expect(status.json().attemptId).toBe(attemptId);
    const deployment = await github("github-deployment.json", "deployment");
    expect(deployment.json()).toMatchObject({ accepted: 0, duplicates: 1 });
    const again = await github("github-deployment-status-success.json", "deployment_status");
    expect(again.json()).toMatchObject({ accepted: 0, duplicates: 2 });
    const stage = (await store.getAttempt(attemptId))?.stages[0];
    expect(stage).toMatchObject({
      name: "deploy",
      status: "succeeded",
      startedAt: Date.parse("2026-10-14T09:00:45Z"),
      endedAt: Date.parse("2026-10-14T09:02:40Z"),
    });
  });

  it("a failure status fails the attempt", async () => {
    const attemptId = (await promote()).json().attemptId;
    await github("github-deployment-status-failure.json", "deployment_status");
    expect((await store.getAttempt(attemptId))?.outcome).toBe("failed");
  });

  it("refuses a bad signature with 401, and other events with a 400 naming X-GitHub-Event", async () => {
    const body = fixture("github-deployment.json");
    const forged = await post("github", body, githubHeaders(body, "deployment", "wrong"));
    expect(forged.statusCode).toBe(401);
    const push = await post("github", body, githubHeaders(body, "push"));
    expect(push.statusCode).toBe(400);
    expect(push.json().detail).toContain("X-GitHub-Event");
    const ping = await post("github", "{}", githubHeaders("{}", "ping"));
    expect(ping.json()).toMatchObject({ ignored: "ping" });
    expect(await attempts()).toEqual([]);
  });
});

describe("KServe", () => {
  const stagesOf = async (attemptId: string) =>
    (await store.getAttempt(attemptId))?.stages.map((s) => [
      s.name,
      s.status,
      new Date(s.startedAt).toISOString(),
      s.endedAt === null ? null : new Date(s.endedAt).toISOString(),
    ]);

  it("records the predictor rollout and the traffic shift of the promoted attempt, in any order", async () => {
    const attemptId = (await promote()).json().attemptId;
    for (const name of [
      "kserve-isvc-rolled-out.json",
      "kserve-isvc-canary.json",
      "kserve-isvc-rolling-out.json",
    ]) {
      const reply = await kserve(name);
      expect(reply.statusCode, reply.body).toBe(200);
      expect(reply.json().attemptId).toBe(attemptId);
    }
    expect(await stagesOf(attemptId)).toEqual([
      ["predictor", "succeeded", "2026-10-14T09:00:40.000Z", "2026-10-14T09:01:30.000Z"],
      ["shift-traffic", "succeeded", "2026-10-14T09:01:31.000Z", "2026-10-14T09:05:00.000Z"],
    ]);
    const again = await kserve("kserve-isvc-canary.json");
    expect(again.json()).toMatchObject({ accepted: 0, duplicates: 2 });
    expect(await attempts()).toHaveLength(1);
  });

  it("arriving before the alias move starts the attempt named by its annotations", async () => {
    const early = await kserve("kserve-isvc-rolling-out.json");
    expect(early.statusCode, early.body).toBe(200);
    const late = (await promote()).json().attemptId;
    expect(late).toBe(early.json().attemptId);
    const [attempt, ...rest] = await attempts();
    expect(rest).toEqual([]);
    expect(attempt).toMatchObject({
      model: "fraud-model",
      version: "7",
      environment: "production",
    });
    expect(attempt?.startedAt).toBe(Date.parse("2026-10-14T09:00:00.080Z"));
  });

  it("fails the predictor stage of a revision that failed, with Knative's reason", async () => {
    const reply = await kserve("kserve-isvc-revision-failed.json");
    expect(reply.statusCode, reply.body).toBe(200);
    const attempt = await store.getAttempt(reply.json().attemptId);
    expect(attempt).toMatchObject({ version: "8", outcome: "in_progress" });
    expect(attempt?.stages).toMatchObject([
      {
        name: "predictor",
        status: "failed",
        attributes: { reason: "RevisionFailed", revision: "fraud-model-predictor-00003" },
      },
    ]);
  });

  it("reads watch events; acknowledges deletions and objects without a revision", async () => {
    const object = JSON.parse(fixture("kserve-isvc-rolling-out.json"));
    const watched = await post("kserve", JSON.stringify({ type: "MODIFIED", object }), bearer);
    expect(watched.statusCode, watched.body).toBe(200);
    expect(watched.json()).toMatchObject({ accepted: 2 });
    const deleted = await post("kserve", JSON.stringify({ type: "DELETED", object }), bearer);
    expect(deleted.json()).toMatchObject({ accepted: 0, attemptId: null });
    const fresh = { ...object, status: { observedGeneration: 1 } };
    const none = await post("kserve", JSON.stringify(fresh), bearer);
    expect(none.json().ignored).toMatch(/no revision yet/);
    expect(await attempts()).toHaveLength(1);
  });

  it("needs a bearer token", async () => {
    const reply = await post("kserve", fixture("kserve-isvc-canary.json"), {
      "content-type": "application/json",
    });
    expect(reply.statusCode).toBe(401);
    expect(await attempts()).toEqual([]);
  });

  it("refuses what is not an InferenceService with a 400 naming the field", async () => {
    const isvc = () => JSON.parse(fixture("kserve-isvc-canary.json"));
    const edit = (change: (object: ReturnType<typeof isvc>) => void) => {
      const object = isvc();
      change(object);
      return JSON.stringify(object);
    };
    const cases = [
      ["{", "body: is not JSON"],
      [edit((o) => (o.kind = "Deployment")), "body.kind"],
      [edit((o) => (o.apiVersion = "serving.kserve.io/v1alpha1")), "body.apiVersion"],
      [edit((o) => delete o.metadata.namespace), "body.metadata.namespace"],
      [edit((o) => (o.status.conditions[3].status = "Yes")), "body.status.conditions[3].status"],
      [
        edit((o) => (o.status.conditions[3].lastTransitionTime = "yesterday")),
        "body.status.conditions[3].lastTransitionTime",
      ],
      [
        edit((o) => (o.status.components.predictor.traffic[0].percent = 150)),
        "body.status.components.predictor.traffic[0].percent",
      ],
      [edit((o) => (o.status.conditions = {})), "body.status.conditions"],
      [edit((o) => (o.metadata.annotations["deployslo.io/version"] = "")), "version"],
    ] as const;
    for (const [body, field] of cases) {
      const reply = await post("kserve", body, bearer);
      expect(reply.statusCode, reply.body).toBe(400);
      expect(reply.json().detail).toContain(field);
    }
    expect(await attempts()).toEqual([]);
  });
});

describe("the route", () => {
  it("names the sources it has", async () => {
    const reply = await post("jenkins", "{}", bearer);
    expect(reply.statusCode).toBe(404);
    expect(reply.json().detail).toContain("mlflow, cdevents, argocd, github, kserve");
  });

  it("refuses a body that is not JSON by media type with 415", async () => {
    const reply = await post("argocd", "a=b", { ...bearer, "content-type": "text/plain" });
    expect(reply.statusCode).toBe(415);
  });

  it("refuses NUL in a correlation field with 400, on both stores alike", async () => {
    const body = { ...JSON.parse(fixture("argocd-sync-running.json")), model: "a\u0000b" };
    const reply = await post("argocd", JSON.stringify(body), bearer);
    expect(reply.statusCode, reply.body).toBe(400);
  });
});
