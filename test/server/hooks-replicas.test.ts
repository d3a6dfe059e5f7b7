import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import type { FastifyInstance } from "fastify";
import { afterEach, expect, it } from "vitest";
import { parseSloSpecs } from "../../src/core/spec/parse-slo-specs.js";
import type { HookSettings } from "../../src/integrations/hooks/hook-settings.js";
import { parseTokens } from "../../src/server/server-config.js";
import { describeDialect } from "../store/describe-dialect.js";
import { DIALECTS } from "../store/dialects.js";
import { testServer } from "../support/test-server.js";

// Two replicas (two servers, each with its own store handle and its own per-process queue) on
// one database receive the first deliveries of the same key at the same moment: one attempt.

const SLOS = parseSloSpecs(readFileSync("test/fixtures/slos.yaml", "utf8"), "slos.yaml").slos;
const NOW = Date.parse("2026-10-14T09:30:00Z");
const SECRET = "mlflow-webhook-secret";
const INGEST = "ingest-token-0123456789";
const SETTINGS: HookSettings = {
  secrets: { mlflow: SECRET },
  mlflow: { aliases: new Map([["champion", "production"]]) },
};
const KEYS = 12;

const fixture = (name: string) =>
  JSON.parse(readFileSync(`test/fixtures/hooks/${name}`, "utf8")) as Record<string, unknown>;

function mlflowDelivery(model: string, deliveryId: string) {
  const envelope = fixture("mlflow-model-version-alias-created.json");
  const body = JSON.stringify({
    ...envelope,
    data: { ...(envelope.data as object), name: model },
  });
  const timestamp = String(Math.floor(NOW / 1000));
  const signature = createHmac("sha256", SECRET)
    .update(`${deliveryId}.${timestamp}.${body}`)
    .digest("base64");
  return {
    url: "/api/v1/hooks/mlflow",
    body,
    headers: {
      "content-type": "application/json",
      "x-mlflow-delivery-id": deliveryId,
      "x-mlflow-timestamp": timestamp,
      "x-mlflow-signature": `v1,${signature}`,
    },
  };
}

function argoDelivery(model: string) {
  const body = JSON.stringify({
    ...fixture("argocd-sync-running.json"),
    app: `${model}-production`,
    model,
  });
  return {
    url: "/api/v1/hooks/argocd",
    body,
    headers: { "content-type": "application/json", authorization: `Bearer ${INGEST}` },
  };
}

// SQLite serves one process (its writers wait on a file lock synchronously): replicas share a
// PostgreSQL database.
const postgres = DIALECTS.filter((dialect) => dialect.name === "postgres");

for (const dialect of postgres) {
  describeDialect(dialect, (db) => {
    let apps: FastifyInstance[] = [];
    afterEach(async () => {
      await Promise.allSettled(apps.map((app) => app.close()));
      apps = [];
    });

    async function replica(): Promise<FastifyInstance> {
      const { app } = await testServer(await db.open(), SLOS, {
        hooks: SETTINGS,
        tokens: parseTokens(`ci:ingest:${INGEST}`, "test"),
        now: NOW,
      });
      apps.push(app);
      return app;
    }

    it("concurrent first deliveries of one key to two replicas start one attempt", {
      timeout: 30_000,
    }, async () => {
      const [a, b] = [await replica(), await replica()];
      const models = Array.from({ length: KEYS }, (_, i) => `race-model-${i}`);
      // Per key: two alias moves (two deliveries, as MLflow sends for two moves) and one sync,
      // spread over both replicas and sent at once.
      const sends = models.flatMap((model) => [
        { app: a, delivery: mlflowDelivery(model, `${model}-a`) },
        { app: b, delivery: mlflowDelivery(model, `${model}-b`) },
        { app: b, delivery: argoDelivery(model) },
      ]);
      const replies = await Promise.all(
        sends.map(({ app, delivery }) =>
          app.inject({
            method: "POST",
            url: delivery.url,
            payload: delivery.body,
            headers: delivery.headers,
          }),
        ),
      );
      for (const reply of replies) expect(reply.statusCode, reply.body).toBe(200);
      const store = await db.open();
      for (const [i, model] of models.entries()) {
        const { attempts } = await store.listAttempts({ model }, { limit: 10 });
        const answered = new Set(replies.slice(3 * i, 3 * i + 3).map((r) => r.json().attemptId));
        expect(
          attempts.map((attempt) => attempt.id),
          model,
        ).toEqual([...answered]);
        expect(attempts[0]?.startedAt).toBe(Date.parse("2026-10-14T09:00:00.080Z"));
        expect(attempts[0]?.stages.map((stage) => stage.name)).toEqual(["sync"]);
      }
    });
  });
}
