import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { notificationKey } from "../../src/core/notification/alert-notification.js";
import { alertmanagerNotifier } from "../../src/notify/alertmanager-notifier.js";
import { type HttpReceiver, startReceiver } from "../support/http-receiver.js";
import { makeNotification } from "../support/make-notification.js";
import { makeTarget } from "../support/make-target.js";

const BINARY = process.env.DEPLOYSLO_TEST_ALERTMANAGER ?? "/usr/bin/prometheus-alertmanager";
const available = existsSync(BINARY);
/** Alertmanager forwards what it gets to `hook`, so the test sees it fire and resolve. */
function config(hook: string): string {
  return [
    "route:",
    "  receiver: hook",
    "  group_by: [slo, alertname]",
    "  group_wait: 100ms",
    "  group_interval: 500ms",
    "  repeat_interval: 1h",
    "receivers:",
    "  - name: hook",
    "    webhook_configs:",
    `      - url: ${hook}/alertmanager`,
    "        send_resolved: true",
    "",
  ].join("\n");
}

interface Forwarded {
  status: string;
  alerts: { status: string; labels: Record<string, string>; startsAt: string; endsAt: string }[];
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

interface GettableAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL?: string;
  status: { state: string };
}

if (!available && process.env.CI !== undefined) {
  describe("Alertmanager notifier against a real Alertmanager", () => {
    it("has prometheus-alertmanager installed", () => {
      expect.fail(`${BINARY} is missing: apt-get install prometheus-alertmanager (see .ci/run)`);
    });
  });
} else {
  const suite = available ? describe : describe.skip;
  const name = available
    ? "Alertmanager notifier against a real Alertmanager"
    : `Alertmanager notifier (skipped: ${BINARY} is missing; apt-get install prometheus-alertmanager)`;
  suite(name, () => {
    let dir = "";
    let child: ChildProcess | undefined;
    let url = "";
    let output = "";
    let hook: HttpReceiver | undefined;

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), "deployslo-alertmanager-"));
      hook = await startReceiver();
      await writeFile(join(dir, "alertmanager.yml"), config(hook.url));
      const port = await freePort();
      url = `http://127.0.0.1:${port}`;
      child = spawn(
        BINARY,
        [
          `--config.file=${join(dir, "alertmanager.yml")}`,
          `--storage.path=${join(dir, "data")}`,
          `--web.listen-address=127.0.0.1:${port}`,
          "--cluster.listen-address=",
        ],
        { stdio: ["ignore", "pipe", "pipe"] },
      );
      child.stdout?.on("data", (chunk: Buffer) => {
        output += chunk.toString();
      });
      child.stderr?.on("data", (chunk: Buffer) => {
        output += chunk.toString();
      });
      const deadline = Date.now() + 60_000;
      for (;;) {
        const ready = await fetch(`${url}/-/ready`).then(
          (r) => r.ok,
          () => false,
        );
        if (ready) break;
        if (child.exitCode !== null || Date.now() > deadline) {
          throw new Error(`Alertmanager did not start:\n${output}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }, 90_000);

    afterAll(async () => {
      if (child !== undefined && child.exitCode === null) {
        const exited = new Promise((resolve) => child?.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
      if (dir !== "") await rm(dir, { recursive: true, force: true });
      await hook?.close();
    });

    /** Waits (up to 30 s: Alertmanager batches by group_interval) for a forwarded status. */
    async function forwarded(slo: string, status: string): Promise<Forwarded> {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const found = (hook?.requests ?? [])
          .map((request) => JSON.parse(request.body) as Forwarded)
          .find((body) => body.status === status && body.alerts[0]?.labels.slo === slo);
        if (found !== undefined) return found;
        if (Date.now() > deadline) throw new Error(`Alertmanager forwarded no ${status} alert`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }

    async function alertsOf(slo: string, active: boolean): Promise<GettableAlert[]> {
      const filter = encodeURIComponent(`slo="${slo}"`);
      const response = await fetch(`${url}/api/v2/alerts?filter=${filter}&active=${active}`);
      expect(response.status).toBe(200);
      return (await response.json()) as GettableAlert[];
    }

    it("fires an alert with its labels and annotations, then resolves it", async () => {
      const startsAt = Math.floor(Date.now() / 1000) * 1000 - 60_000;
      const target = makeTarget("alertmanager", url, {
        name: "am",
        labels: { team: "ml-platform", slo: "not-this", "owner.email": "ml@example.com" },
        serviceUrl: "https://deployslo.example.com",
      });
      const firing = makeNotification({ slo: "am-test", startsAt, at: startsAt });
      const signal = new AbortController().signal;
      await alertmanagerNotifier().send(firing, target, signal);

      const [alert, ...others] = await alertsOf("am-test", true);
      expect(others).toEqual([]);
      expect(alert?.labels).toEqual({
        alertname: "fast-burn",
        slo: "am-test",
        severity: "page",
        team: "ml-platform",
        owner_email: "ml@example.com",
      });
      expect(alert?.annotations).toEqual({
        summary: "am-test: fast-burn firing",
        runbook_url: "https://runbooks.example.com/deploy-latency",
      });
      expect(Date.parse(alert?.startsAt ?? "")).toBe(startsAt);
      expect(Date.parse(alert?.endsAt ?? "")).toBeGreaterThan(Date.now() + 86_400_000);
      expect(alert?.generatorURL).toBe("https://deployslo.example.com/api/v1/slos/am-test");
      expect(alert?.status.state).toBe("active");

      const endsAt = Math.floor(Date.now() / 1000) * 1000 - 1_000;
      const resolved = {
        ...firing,
        key: notificationKey("am-test", "fast-burn", startsAt, "resolved"),
        state: "resolved" as const,
        at: endsAt,
        endsAt,
      };
      await alertmanagerNotifier().send(resolved, target, signal);
      expect(await alertsOf("am-test", true)).toEqual([]);
      // Alertmanager's API lists active alerts only; its receivers see the resolve.
      expect((await forwarded("am-test", "firing")).alerts[0]?.status).toBe("firing");
      const [after] = (await forwarded("am-test", "resolved")).alerts;
      expect(after?.status).toBe("resolved");
      expect(Date.parse(after?.endsAt ?? "")).toBe(endsAt);
      expect(Date.parse(after?.startsAt ?? "")).toBe(startsAt);
    });

    it("refuses an alert it cannot take as a permanent failure", async () => {
      const target = makeTarget("alertmanager", url);
      // Alertmanager checks that an alert ends after it starts.
      const bad = makeNotification({ slo: "am-bad", state: "resolved", at: 1_000, endsAt: 1_000 });
      const error = await alertmanagerNotifier()
        .send(bad, target, new AbortController().signal)
        .then(
          () => undefined,
          (e: unknown) => e as { status: number; retryable: boolean },
        );
      expect(error).toMatchObject({ status: 400, retryable: false });
    });
  });
}
