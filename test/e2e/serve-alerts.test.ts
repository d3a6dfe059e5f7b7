import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/open-store.js";
import { type HttpReceiver, startReceiver } from "../support/http-receiver.js";
import { MINUTE, makeAttempt } from "../support/make-attempt.js";
import { call, pollUntil, spawnServer, stopAllServers } from "../support/spawn-server.js";

// `deployslo serve` evaluates alert rules on an interval and sends each transition once,
// across a restart and a reload that removes the SLO.

let dir: string;
let receiver: HttpReceiver;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "deployslo-serve-alerts-"));
  receiver = await startReceiver();
});
afterEach(async () => {
  await stopAllServers();
  await receiver.close();
  await rm(dir, { recursive: true, force: true });
});

const TARGET = (url: string) => `apiVersion: deployslo/v1
kind: NotificationTarget
metadata:
  name: hook
spec:
  type: webhook
  url: ${url}/hook
`;

const SLO = `apiVersion: deployslo/v1
kind: SLO
metadata:
  name: prod-deploys
spec:
  selector: { environment: production }
  objective: { threshold: 5m, target: 95% }
  window: 7d
  alerting:
    notify: [hook]
    runbookUrl: https://runbooks.example.com/deploys
`;

interface Alerts {
  alerts: {
    slo: string;
    alert: string;
    state: string;
    evaluatedAt: string;
    notification: { deliveries: { status: string }[] } | null;
  }[];
  transitions: { alert: string; state: string; reason: string }[];
}

function received(): { key: string; alert: string; state: string }[] {
  return receiver.requests.map(
    (r) => JSON.parse(r.body) as { key: string; alert: string; state: string },
  );
}

describe("deployslo serve evaluates alerts", () => {
  it("fires once, does not re-send after a restart, and resolves alerts of a removed SLO", {
    timeout: 90_000,
  }, async () => {
    const database = join(dir, "store.db");
    const config = join(dir, "slos.yaml");
    await writeFile(config, `${SLO}---\n${TARGET(receiver.url)}`);
    // Three slow production deployments in the last hour: the page rules hold now.
    const now = Date.now();
    const store = await openStore(database);
    await store.upsertAttempts(
      [50, 35, 20].map((ago, i) =>
        makeAttempt({
          id: `slow-${i}`,
          startedAt: now - ago * MINUTE,
          servingAt: now - (ago - 12) * MINUTE,
        }),
      ),
    );
    await store.close();

    const args = ["--alert-interval", "1s", "--log-level", "warn"];
    const first = await spawnServer({ config: [config], database, args });
    const firing = await pollUntil(
      () => `fast-burn firing and delivered\n${first.logs()}`,
      async () => {
        const body = (await call(first.url, "GET", "/api/v1/alerts")).json as Alerts;
        const fast = body.alerts.find((a) => a.alert === "fast-burn");
        // Every enqueued notification delivered, so none arrives later by surprise.
        const outbox = (await call(first.url, "GET", "/api/v1/notifications")).json as {
          notifications: { status: string }[];
        };
        const allDelivered =
          outbox.notifications.length === receiver.requests.length &&
          outbox.notifications.every((n) => n.status === "delivered");
        return fast?.state === "firing" &&
          fast.notification?.deliveries[0]?.status === "delivered" &&
          allDelivered
          ? body
          : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    expect(firing.transitions.some((t) => t.alert === "fast-burn" && t.state === "firing")).toBe(
      true,
    );
    const fastFiring = received().filter((n) => n.alert === "fast-burn");
    expect(fastFiring.map((n) => n.state)).toEqual(["firing"]);
    await first.stop();

    // After a restart the alert is still firing: two more rounds send nothing new.
    const sentBefore = received().map((n) => n.key);
    const restartedAt = new Date().toISOString();
    const second = await spawnServer({ config: [config], database, args });
    await pollUntil(
      () => `two rounds after the restart\n${second.logs()}`,
      async () => {
        const body = (await call(second.url, "GET", "/api/v1/alerts")).json as Alerts;
        const fast = body.alerts.find((a) => a.alert === "fast-burn");
        return fast !== undefined &&
          fast.state === "firing" &&
          Date.parse(fast.evaluatedAt) > Date.parse(restartedAt) + 1000
          ? fast
          : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    expect(received().map((n) => n.key)).toEqual(sentBefore);
    expect(new Set(sentBefore).size).toBe(sentBefore.length);

    // Reload without the SLO: each firing alert resolves once, saying why, and is dropped.
    const firingAlerts = new Set(
      received()
        .filter((n) => n.state === "firing")
        .map((n) => n.alert),
    );
    await writeFile(config, TARGET(receiver.url));
    second.process.kill("SIGHUP");
    const after = await pollUntil(
      () => `the removed SLO's alerts resolved\n${second.logs()}`,
      async () => {
        const body = (await call(second.url, "GET", "/api/v1/alerts")).json as Alerts;
        const resolved = received().filter((n) => n.state === "resolved");
        return body.alerts.length === 0 && resolved.length === firingAlerts.size ? body : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    expect(
      new Set(
        received()
          .filter((n) => n.state === "resolved")
          .map((n) => n.alert),
      ),
    ).toEqual(firingAlerts);
    expect(
      after.transitions.filter((t) => t.state === "resolved").every((t) => t.reason === "removed"),
    ).toBe(true);
    const keys = received().map((n) => n.key);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
