import type { FastifyInstance } from "fastify";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { notificationKey } from "../../src/core/notification/alert-notification.js";
import { runAlertEvaluation } from "../../src/services/run-alert-evaluation.js";
import type { SloEngine } from "../../src/services/slo-engine.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store.js";
import { HEALTHY, pagingSlo, REGRESSION_START, slowAttempt } from "../support/alert-scenario.js";
import { MINUTE } from "../support/make-attempt.js";
import { testServer } from "../support/test-server.js";

let store: Store;
let app: FastifyInstance;
let engine: SloEngine;

const deploys = pagingSlo();
const pull = pagingSlo({
  name: "registry-pull",
  indicator: { kind: "dependency", dependency: "registry_pull" },
});
const FIRES_AT = REGRESSION_START + 11 * MINUTE;
const AUTH = { authorization: "Bearer reader-token-123456" };

beforeEach(async () => {
  store = await openStore(":memory:");
  await store.upsertAttempts([...HEALTHY, slowAttempt(REGRESSION_START)]);
  ({ app, engine } = await testServer(store, [deploys, pull], {
    tokens: [{ name: "reader", token: "reader-token-123456", role: "read" }],
  }));
});
afterEach(async () => {
  await app.close();
  await store.close();
});

const round = (now: number) =>
  runAlertEvaluation({
    ctx: { store, engine },
    input: { at: now, owner: "test", leaseMs: 60_000 },
  });

async function get(url: string) {
  const response = await app.inject({ method: "GET", url, headers: AUTH });
  expect(response.statusCode).toBe(200);
  return response.json() as { alerts: Record<string, unknown>[]; transitions: unknown[] };
}

describe("GET /api/v1/alerts", () => {
  it("lists every alert's state with its last notification's deliveries, and transitions", async () => {
    await round(REGRESSION_START);
    await round(FIRES_AT);
    const key = notificationKey("prod-deploys", "fast-burn", FIRES_AT, "firing");
    await store.claimNotificationDeliveries({ owner: "d", now: FIRES_AT, leaseMs: 1, limit: 9 });
    await store.recordDeliveryOutcome("d", {
      kind: "failed",
      key,
      target: "hook",
      at: FIRES_AT + 1000,
      error: "hook answered HTTP 503",
      status: 503,
      nextAttemptAt: FIRES_AT + 60_000,
    });

    const body = await get("/api/v1/alerts");
    expect(body.alerts).toEqual([
      {
        slo: "prod-deploys",
        alert: "fast-burn",
        severity: "page",
        state: "firing",
        since: "2026-10-21T10:11:00.000Z",
        activeAt: "2026-10-21T10:11:00.000Z",
        startsAt: "2026-10-21T10:11:00.000Z",
        evaluatedAt: "2026-10-21T10:11:00.000Z",
        atRisk: [],
        notification: {
          key,
          deliveries: [
            {
              target: "hook",
              status: "pending",
              attempts: 1,
              lastError: "hook answered HTTP 503",
              deliveredAt: null,
            },
          ],
        },
      },
      {
        slo: "registry-pull",
        alert: "fast-burn",
        severity: "page",
        state: "inactive",
        since: "2026-10-21T10:00:00.000Z",
        activeAt: null,
        startsAt: null,
        evaluatedAt: "2026-10-21T10:11:00.000Z",
        atRisk: ["prod-deploys"],
        notification: null,
      },
    ]);
    expect(body.transitions).toEqual([
      {
        slo: "prod-deploys",
        alert: "fast-burn",
        severity: "page",
        state: "firing",
        at: "2026-10-21T10:11:00.000Z",
        startsAt: "2026-10-21T10:11:00.000Z",
        reason: "condition",
      },
    ]);

    const firing = await get("/api/v1/alerts?state=firing");
    expect(firing.alerts.map((a) => a.slo)).toEqual(["prod-deploys"]);
    const bySlo = await get("/api/v1/alerts?slo=registry-pull");
    expect(bySlo.alerts.map((a) => a.state)).toEqual(["inactive"]);
    expect(bySlo.transitions).toEqual([]);
    expect((await get("/api/v1/alerts?transitions=0")).transitions).toEqual([]);
  });

  it("rejects an unknown state filter and needs a token", async () => {
    const bad = await app.inject({ method: "GET", url: "/api/v1/alerts?state=on", headers: AUTH });
    expect(bad.statusCode).toBe(400);
    const anonymous = await app.inject({ method: "GET", url: "/api/v1/alerts" });
    expect(anonymous.statusCode).toBe(401);
  });
});
