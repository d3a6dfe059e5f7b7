import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/open-store.js";
import { type HttpReceiver, startReceiver } from "../support/http-receiver.js";
import { MINUTE, makeAttempt } from "../support/make-attempt.js";
import { call, pollUntil, spawnServer, stopAllServers } from "../support/spawn-server.js";

// `deployslo serve` announces a freeze when its alert round first sees it, an approval when it
// is granted, and a freeze's end when a reload makes the policy stop freezing; each once, across
// a restart.

let dir: string;
let receiver: HttpReceiver;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "deployslo-serve-policy-"));
  receiver = await startReceiver();
});
afterEach(async () => {
  await stopAllServers();
  await receiver.close();
  await rm(dir, { recursive: true, force: true });
});

const TARGET = (url: string) => `apiVersion: deployslo/v1
kind: NotificationTarget
metadata: {name: hook}
spec: {type: webhook, url: ${url}/hook}
`;

const SLO = (freeze: boolean) => `apiVersion: deployslo/v1
kind: SLO
metadata: {name: prod-deploys}
spec:
  selector: {environment: production}
  objective: {threshold: 5m, target: 95%}
  window: 7d
  alerting: {notify: [hook]}
  policy: {freezeWhenExhausted: ${freeze}, approvalBelow: 50%}
`;

interface Sent {
  key: string;
  kind: string;
  state: string;
  summary: string;
  annotations: Record<string, string>;
}

function policyNotifications(): Sent[] {
  return receiver.requests
    .map((r) => JSON.parse(r.body) as Sent)
    .filter((body) => body.kind !== "alert");
}

describe("deployslo serve notifies the deployment policy", () => {
  it("announces a freeze, an approval and the freeze's end once each", {
    timeout: 120_000,
  }, async () => {
    const database = join(dir, "store.db");
    const config = join(dir, "slos.yaml");
    await writeFile(config, `${SLO(true)}---\n${TARGET(receiver.url)}`);
    const now = Date.now();
    const store = await openStore(database);
    await store.upsertAttempts(
      [90, 70, 50].map((ago, i) =>
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
    const [frozen] = await pollUntil(
      () => `the freeze announced\n${first.logs()}`,
      async () => {
        const sent = policyNotifications();
        return sent.length > 0 ? sent : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    expect(frozen).toMatchObject({
      kind: "freeze",
      state: "firing",
      summary: "prod-deploys: deployments frozen, the error budget is exhausted (-1900% left)",
      annotations: { eligible: "3", bad: "3", policy_state: "frozen" },
    });
    const approval = await call(first.url, "POST", "/api/v1/approvals", {
      model: "fraud-detector",
      environment: "production",
      reason: "rollback plan verified",
    });
    expect(approval.status, approval.text).toBe(201);
    const granted = await pollUntil(
      () => `the approval announced\n${first.logs()}`,
      async () => policyNotifications().find((n) => n.kind === "approval"),
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    expect(granted.summary).toContain("approval granted by anonymous for fraud-detector");
    await first.stop();

    // Restarted, and the policy no longer freezes: the end goes out once.
    await writeFile(config, `${SLO(false)}---\n${TARGET(receiver.url)}`);
    const second = await spawnServer({ config: [config], database, args });
    const ended = await pollUntil(
      () => `the freeze's end announced\n${second.logs()}`,
      async () => policyNotifications().find((n) => n.state === "resolved"),
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    expect(ended).toMatchObject({
      kind: "freeze",
      key: frozen?.key.replace(/firing$/, "resolved"),
      summary:
        "prod-deploys: deployment freeze ended (the policy no longer freezes (spec.policy.freezeWhenExhausted))",
      annotations: { policy_state: "approval_required" },
    });
    // Two more rounds send nothing new.
    const evaluated = Date.now();
    await pollUntil(
      () => `two rounds after the end\n${second.logs()}`,
      async () => {
        const body = (await call(second.url, "GET", "/api/v1/alerts")).json as {
          alerts: { evaluatedAt: string }[];
        };
        return body.alerts.some((a) => Date.parse(a.evaluatedAt) > evaluated + 2000)
          ? true
          : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    const keys = policyNotifications().map((n) => n.key);
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(3);
  });
});
