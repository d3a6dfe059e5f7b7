import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/open-store.js";
import { type HttpReceiver, startReceiver } from "../support/http-receiver.js";
import { MINUTE, makeAttempt } from "../support/make-attempt.js";
import { call, pollUntil, spawnServer, stopAllServers } from "../support/spawn-server.js";
import {
  ALERTMANAGER_BINARY,
  alertmanagerAvailable,
  type RunningAlertmanager,
  startAlertmanager,
} from "../support/start-alertmanager.js";

// `deployslo serve` against a real Alertmanager: an incident seen by two page rules of an SLO
// and by its excess-time twin is one alert in one Alertmanager group, and resolves once.

const slo = (name: string, budgeting: string) => `apiVersion: deployslo/v1
kind: SLO
metadata:
  name: ${name}
spec:
  selector: { environment: production }
  objective: { threshold: 5m, target: 95% }
  budgeting: ${budgeting}
  window: 7d
  alerting:
    notify: [am]
`;

const target = (url: string) => `apiVersion: deployslo/v1
kind: NotificationTarget
metadata:
  name: am
spec:
  type: alertmanager
  url: ${url}
`;

/** Alertmanager forwards every group it notifies to `hook`. */
const config = (hook: string) =>
  [
    "route:",
    "  receiver: hook",
    "  group_by: [slo, alertname]",
    "  group_wait: 100ms",
    "  group_interval: 500ms",
    "  repeat_interval: 1h",
    "receivers:",
    "  - name: hook",
    "    webhook_configs:",
    `      - url: ${hook}/am`,
    "        send_resolved: true",
    "",
  ].join("\n");

interface Group {
  labels: Record<string, string>;
  alerts: { labels: Record<string, string> }[];
}

const isBurnAlert = (alert: { labels: Record<string, string> }) =>
  alert.labels.alertname === "fast-burn" || alert.labels.alertname === "medium-burn";

/** The groups of burn-rate alerts, each holding only those. */
function burnGroups(groups: readonly Group[]): Group[] {
  return groups
    .map((g) => ({ ...g, alerts: g.alerts.filter(isBurnAlert) }))
    .filter((g) => g.alerts.length > 0);
}

if (!alertmanagerAvailable && process.env.CI !== undefined) {
  describe("deployslo serve with Alertmanager", () => {
    it("has prometheus-alertmanager installed", () => {
      expect.fail(`${ALERTMANAGER_BINARY} is missing: apt-get install prometheus-alertmanager`);
    });
  });
} else {
  const suite = alertmanagerAvailable ? describe : describe.skip;
  suite("deployslo serve with a real Alertmanager", () => {
    let dir = "";
    let hook: HttpReceiver;
    let am: RunningAlertmanager | undefined;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), "deployslo-serve-am-"));
      hook = await startReceiver();
      am = await startAlertmanager(config(hook.url));
    }, 90_000);
    afterEach(async () => {
      await stopAllServers();
      await am?.stop();
      await hook.close();
      await rm(dir, { recursive: true, force: true });
    });

    it("shows one alert group for one incident of two rules and two twin SLOs", {
      timeout: 90_000,
    }, async () => {
      const url = am?.url ?? "";
      const database = join(dir, "store.db");
      const file = join(dir, "slos.yaml");
      await writeFile(
        file,
        `${slo("prod-deploys", "occurrences")}---\n${slo("prod-deploys-time", "excess-time")}---\n${target(url)}`,
      );
      // Four slow production deployments in the last hour: fast-burn and medium-burn of both SLOs hold.
      const now = Date.now();
      const store = await openStore(database);
      await store.upsertAttempts(
        [55, 45, 35, 25].map((ago, i) =>
          makeAttempt({
            id: `slow-${i}`,
            startedAt: now - ago * MINUTE,
            servingAt: now - (ago - 12) * MINUTE,
          }),
        ),
      );
      await store.close();
      const server = await spawnServer({
        config: [file],
        database,
        args: ["--alert-interval", "1s", "--log-level", "warn"],
      });
      const groups = await pollUntil(
        () => `an Alertmanager group\n${server.logs()}`,
        async () => {
          const body = (await call(server.url, "GET", "/api/v1/alerts")).json as {
            alerts: { slo: string; alert: string; state: string }[];
          };
          const pages = body.alerts.filter(
            (a) => a.state === "firing" && (a.alert === "fast-burn" || a.alert === "medium-burn"),
          );
          if (pages.length < 4) return undefined;
          const found = burnGroups(
            (await (await fetch(`${url}/api/v2/alerts/groups`)).json()) as Group[],
          );
          return found.length > 0 && hook.requests.length > 0 ? found : undefined;
        },
        { timeoutMs: 45_000, intervalMs: 250 },
      );
      // Four page rules firing over two SLOs: one alert, in one group.
      expect(groups).toHaveLength(1);
      expect(groups[0]?.alerts).toHaveLength(1);
      const [alert] = groups[0]?.alerts ?? [];
      expect(alert?.labels).toMatchObject({
        slo: "prod-deploys",
        alertname: "fast-burn",
        severity: "page",
      });
      expect(alert?.labels.incident).toMatch(/^prod-deploys\/\d+$/);
      // A few more rounds send nothing new to Alertmanager.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      const after = (await (await fetch(`${url}/api/v2/alerts/groups`)).json()) as Group[];
      expect(burnGroups(after).flatMap((g) => g.alerts)).toHaveLength(1);
      // A spent budget also freezes its SLO: a freeze is its own message, not a page of the
      // incident, and at most one per SLO.
      const frozen = after
        .flatMap((g) => g.alerts)
        .filter((a) => !isBurnAlert(a))
        .map((a) => a.labels.slo);
      expect(frozen).toContain("prod-deploys");
      expect(new Set(frozen).size).toBe(frozen.length);
      const forwarded = hook.requests.map(
        (r) => JSON.parse(r.body) as { status: string; alerts: unknown[] },
      );
      expect(forwarded.every((f) => f.alerts.length === 1)).toBe(true);
    });
  });
}
