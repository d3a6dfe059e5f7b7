import type { FastifyInstance } from "fastify";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store.js";
import { T0 } from "../support/make-attempt.js";
import { makeNotification } from "../support/make-notification.js";
import { testServer } from "../support/test-server.js";

let store: Store;
let app: FastifyInstance;

beforeEach(async () => {
  store = await openStore(":memory:");
  ({ app } = await testServer(store, [], {
    tokens: [{ name: "reader", token: "reader-token-123456", role: "read" }],
  }));
});
afterEach(async () => {
  await app.close();
  await store.close();
});

const AUTH = { authorization: "Bearer reader-token-123456" };

describe("GET /api/v1/notifications", () => {
  it("shows each delivery with its attempts and last error, filtered by status", async () => {
    const firing = makeNotification({ targets: ["ops", "pager"] });
    await store.enqueueNotifications([firing]);
    await store.claimNotificationDeliveries({ owner: "r", now: T0, leaseMs: 60_000, limit: 10 });
    await store.recordDeliveryOutcome("r", {
      kind: "failed",
      key: firing.key,
      target: "pager",
      at: T0 + 1_000,
      error: "events.pagerduty.com answered HTTP 400: invalid routing key",
      status: 400,
      nextAttemptAt: null,
    });

    const dead = await app.inject({
      method: "GET",
      url: "/api/v1/notifications?status=dead",
      headers: AUTH,
    });
    expect(dead.statusCode).toBe(200);
    expect(dead.json()).toEqual({
      notifications: [
        {
          key: firing.key,
          target: "pager",
          status: "dead",
          attempts: 1,
          nextAttemptAt: null,
          lastError: "events.pagerduty.com answered HTTP 400: invalid routing key",
          lastStatus: 400,
          createdAt: expect.any(String),
          updatedAt: "2026-10-01T10:00:01.000Z",
          deliveredAt: null,
          notification: {
            kind: "alert",
            slo: "prod-deploys",
            alert: "fast-burn",
            severity: "page",
            state: "firing",
            at: "2026-10-01T10:00:00.000Z",
            startsAt: "2026-10-01T10:00:00.000Z",
            endsAt: null,
            labels: firing.labels,
            annotations: firing.annotations,
          },
        },
      ],
    });

    const all = await app.inject({ method: "GET", url: "/api/v1/notifications", headers: AUTH });
    expect(
      (all.json() as { notifications: { target: string; status: string }[] }).notifications
        .map((n) => `${n.target}:${n.status}`)
        .sort(),
    ).toEqual(["ops:pending", "pager:dead"]);
    const byTarget = await app.inject({
      method: "GET",
      url: "/api/v1/notifications?target=ops&slo=prod-deploys&limit=1",
      headers: AUTH,
    });
    expect((byTarget.json() as { notifications: unknown[] }).notifications.length).toBe(1);
  });

  it("rejects an unknown status and requests without a token", async () => {
    const bad = await app.inject({
      method: "GET",
      url: "/api/v1/notifications?status=failed",
      headers: AUTH,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers["content-type"]).toContain("application/problem+json");
    const anonymous = await app.inject({ method: "GET", url: "/api/v1/notifications" });
    expect(anonymous.statusCode).toBe(401);
  });

  it("is in the OpenAPI document", async () => {
    const doc = await app.inject({ method: "GET", url: "/api/openapi.json", headers: AUTH });
    expect(Object.keys((doc.json() as { paths: object }).paths)).toContain("/api/v1/notifications");
  });
});
