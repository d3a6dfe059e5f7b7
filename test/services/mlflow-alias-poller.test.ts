import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EventWriter } from "../../src/ingest/event-writer.js";
import { mlflowAliasLookup } from "../../src/integrations/mlflow/mlflow-registry-client.js";
import { KeyedQueue } from "../../src/services/keyed-queue.js";
import { pollMlflowAliases, type SeenAlias } from "../../src/services/poll-mlflow-aliases.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store.js";

// The alias poller against a small MLflow on loopback that answers
// GET /api/2.0/mlflow/registered-models/alias as MLflow's REST API does
// (mlflow/protos/model_registry.proto, GetModelVersionByAlias: {"model_version": ModelVersion};
// an alias that is not set: 404 {"error_code": "RESOURCE_DOES_NOT_EXIST", "message": …}).

let mlflow: Server;
let uri: string;
const aliases = new Map<string, string>();
const requests: IncomingMessage[] = [];
let failWith: number | undefined;

beforeEach(async () => {
  aliases.clear();
  requests.length = 0;
  failWith = undefined;
  mlflow = createServer((request, response) => {
    requests.push(request);
    const url = new URL(request.url ?? "/", "http://localhost");
    response.setHeader("content-type", "application/json");
    if (url.pathname !== "/api/2.0/mlflow/registered-models/alias") {
      response.writeHead(404).end(JSON.stringify({ error_code: "ENDPOINT_NOT_FOUND" }));
      return;
    }
    if (failWith !== undefined) {
      response.writeHead(failWith).end(JSON.stringify({ error_code: "INTERNAL_ERROR" }));
      return;
    }
    const name = url.searchParams.get("name") ?? "";
    const alias = url.searchParams.get("alias") ?? "";
    const version = aliases.get(`${name}@${alias}`);
    if (version === undefined) {
      response.writeHead(404).end(
        JSON.stringify({
          error_code: "RESOURCE_DOES_NOT_EXIST",
          message: `Registered model alias ${alias} not found.`,
        }),
      );
      return;
    }
    response.writeHead(200).end(
      JSON.stringify({
        model_version: {
          name,
          version,
          creation_timestamp: 1791968000000,
          current_stage: "None",
          source: `models:/m-${version}`,
          status: "READY",
          aliases: [alias],
        },
      }),
    );
  });
  await new Promise<void>((resolve) => mlflow.listen(0, "127.0.0.1", resolve));
  uri = `http://127.0.0.1:${(mlflow.address() as AddressInfo).port}/`;
});
afterEach(async () => {
  await new Promise<void>((resolve) => mlflow.close(() => resolve()));
});

describe("the MLflow alias poller", () => {
  let store: Store;
  let now: number;
  let seen: Map<string, SeenAlias>;
  beforeEach(async () => {
    store = await openStore(":memory:");
    now = Date.parse("2026-10-14T09:00:00Z");
    seen = new Map();
  });
  afterEach(async () => {
    await store.close();
  });

  const round = () =>
    pollMlflowAliases({
      ctx: {
        store,
        events: new EventWriter(store),
        hookQueue: new KeyedQueue(),
        newId: () => "unused",
        clock: { now: () => now },
      },
      input: {
        watches: [{ model: "fraud-model", alias: "champion" }],
        settings: { aliases: new Map([["champion", "production"]]) },
        seen,
        lookUp: mlflowAliasLookup(uri, { token: "mlflow-token" }),
        signal: new AbortController().signal,
      },
    });
  const all = async () => (await store.listAttempts({}, { limit: 100 })).attempts;

  it("starts an attempt when the alias moves, once per move", async () => {
    aliases.set("fraud-model@champion", "7");
    const [first] = await round();
    expect(await store.getAttempt(first ?? "")).toMatchObject({
      model: "fraud-model",
      version: "7",
      environment: "production",
      startedAt: now,
      attributes: { source: "mlflow-poll", "mlflow.alias": "champion" },
    });
    now += 30_000;
    expect(await round()).toEqual([]);
    aliases.set("fraud-model@champion", "8");
    now += 30_000;
    const [second] = await round();
    expect(second).not.toBe(first);
    expect((await all()).map((a) => a.version).sort()).toEqual(["7", "8"]);
    expect(requests[0]?.headers.authorization).toBe("Bearer mlflow-token");
  });

  it("leaves alone a move the webhook already recorded, and a version promoted before it started", async () => {
    aliases.set("fraud-model@champion", "7");
    await store.upsertAttempts([
      {
        id: "from-before",
        model: "fraud-model",
        version: "7",
        environment: "production",
        labels: {},
        startedAt: now - 86_400_000,
        servingAt: now - 86_000_000,
        endedAt: null,
        outcome: "succeeded",
        stages: [],
        dependencies: [],
        attributes: {},
      },
    ]);
    expect(await round()).toEqual([]);
    aliases.set("fraud-model@champion", "8");
    await store.upsertAttempts([
      {
        id: "from-webhook",
        model: "fraud-model",
        version: "8",
        environment: "production",
        labels: {},
        startedAt: now + 10_000,
        servingAt: null,
        endedAt: null,
        outcome: "in_progress",
        stages: [],
        dependencies: [],
        attributes: {},
      },
    ]);
    now += 30_000;
    expect(await round()).toEqual([]);
    expect((await all()).map((a) => a.id).sort()).toEqual(["from-before", "from-webhook"]);
  });

  it("a move back to a version whose attempt ended is a new promotion; while open, it joins", async () => {
    aliases.set("fraud-model@champion", "7");
    const [first] = await round();
    const served = await store.getAttempt(first ?? "");
    if (served === undefined) throw new Error("no attempt");
    await store.upsertAttempts([{ ...served, servingAt: now + 1000, outcome: "succeeded" }]);
    aliases.set("fraud-model@champion", "8");
    now += 30_000;
    const [eight] = await round();
    aliases.set("fraud-model@champion", "7");
    now += 30_000;
    const [again] = await round();
    expect(again).not.toBe(first);
    aliases.set("fraud-model@champion", "8");
    now += 30_000;
    expect(await round()).toEqual([eight]);
    expect((await all()).map((a) => a.version).sort()).toEqual(["7", "7", "8"]);
  });

  it("records nothing for an alias that is not set, and fails the round when MLflow fails", async () => {
    expect(await round()).toEqual([]);
    failWith = 503;
    await expect(round()).rejects.toThrow(/MLflow answered 503/);
    expect(await all()).toEqual([]);
  });
});
