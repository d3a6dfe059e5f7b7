import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../src/clock/clock.js";
import { parseSloSpecs } from "../../src/core/spec/parse-slo-specs.js";
import { grafanaDashboard } from "../../src/integrations/prometheus/grafana-dashboard.js";
import { DURATION_BUCKETS, METRIC_NAMES } from "../../src/integrations/prometheus/metric-names.js";
import { prometheusRules } from "../../src/integrations/prometheus/prometheus-rules.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store.js";
import { testServer } from "../support/test-server.js";

const BINARY = process.env.DEPLOYSLO_TEST_PROMETHEUS ?? "/usr/bin/prometheus";
const available = existsSync(BINARY);

const SPECS = `
apiVersion: deployslo/v1
kind: SLO
metadata: {name: prod-live}
spec:
  selector: {environment: production}
  objective: {threshold: 1m, target: 90%}
---
apiVersion: deployslo/v1
kind: SLO
metadata: {name: all-live}
spec:
  objective: {threshold: 1m, target: "99.5%"}
  window: 7d
`;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

/** Attempts whose verdicts are all known by now and fall inside every lookback. */
function attempts(now: number): Record<string, unknown>[] {
  const at = (ms: number) => new Date(now - ms).toISOString();
  const out: Record<string, unknown>[] = [];
  const add = (id: string, environment: string, fields: Record<string, unknown>) =>
    out.push({ id, model: "fraud", version: "1", environment, ...fields });
  // production: 8 verdicts, 5 bad (a slow one, two failures, a rollback, one stuck past 1m).
  for (let i = 0; i < 3; i++)
    add(`p-good-${i}`, "production", { startedAt: at(40_000), servingAt: at(5_000 + i) });
  add("p-slow", "production", { startedAt: at(150_000), servingAt: at(10_000) });
  add("p-fail-1", "production", { startedAt: at(30_000), endedAt: at(20_000), outcome: "failed" });
  add("p-fail-2", "production", { startedAt: at(30_000), endedAt: at(15_000), outcome: "failed" });
  add("p-rollback", "production", {
    startedAt: at(100_000),
    servingAt: at(50_000),
    endedAt: at(20_000),
    outcome: "rolled_back",
  });
  add("p-stuck", "production", { startedAt: at(90_000) });
  // staging: 4 good, 1 bad; only all-live counts them.
  for (let i = 0; i < 4; i++)
    add(`s-good-${i}`, "staging", { startedAt: at(30_000), servingAt: at(8_000 + i) });
  add("s-fail", "staging", { startedAt: at(20_000), endedAt: at(12_000), outcome: "failed" });
  return out;
}

if (!available && process.env.CI !== undefined) {
  describe("exported rules in a real Prometheus", () => {
    it("has prometheus installed", () => {
      expect.fail(`${BINARY} is missing: apt-get install prometheus (see .ci/run)`);
    });
  });
} else {
  const suite = available ? describe : describe.skip;
  const name = available
    ? "exported rules in a real Prometheus scraping /metrics"
    : `exported rules in a real Prometheus (skipped: ${BINARY} is missing; apt-get install prometheus)`;
  suite(name, () => {
    let dir = "";
    let store: Store | undefined;
    let app: FastifyInstance | undefined;
    let child: ChildProcess | undefined;
    let prometheus = "";
    let output = "";
    const slos = parseSloSpecs(SPECS, "live.yaml").slos;

    async function query(expr: string): Promise<Sample[]> {
      const response = await fetch(`${prometheus}/api/v1/query?query=${encodeURIComponent(expr)}`);
      const body = (await response.json()) as { status: string; data: { result: Sample[] } };
      expect(body.status, JSON.stringify(body)).toBe("success");
      return body.data.result;
    }

    /** Polls until `check` holds for the answer to `expr` (Prometheus scrapes and evaluates every second). */
    async function until(expr: string, check: (samples: Sample[]) => boolean): Promise<Sample[]> {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const samples = await query(expr).catch(() => []);
        if (check(samples)) return samples;
        if (child?.exitCode !== null || Date.now() > deadline)
          throw new Error(
            `Prometheus never answered ${expr} as expected; last: ${JSON.stringify(samples)}\n${output}`,
          );
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), "deployslo-prometheus-"));
      store = await openStore(":memory:");
      ({ app } = await testServer(store, slos, { clock: () => systemClock.now() }));
      await app.listen({ host: "127.0.0.1", port: 0 });
      const address = app.server.address();
      if (address === null || typeof address === "string") throw new Error("no address");
      await writeFile(join(dir, "rules.yaml"), prometheusRules(slos));
      await writeFile(
        join(dir, "prometheus.yml"),
        [
          "global: {scrape_interval: 1s, evaluation_interval: 1s}",
          "rule_files: [rules.yaml]",
          "scrape_configs:",
          "  - job_name: deployslo",
          `    static_configs: [{targets: ["127.0.0.1:${address.port}"]}]`,
          "",
        ].join("\n"),
      );
      const port = await freePort();
      prometheus = `http://127.0.0.1:${port}`;
      child = spawn(
        BINARY,
        [
          `--config.file=${join(dir, "prometheus.yml")}`,
          `--storage.tsdb.path=${join(dir, "data")}`,
          `--web.listen-address=127.0.0.1:${port}`,
        ],
        { stdio: ["ignore", "pipe", "pipe"] },
      );
      child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
      const deadline = Date.now() + 30_000;
      while (
        !(await fetch(`${prometheus}/-/ready`).then(
          (r) => r.ok,
          () => false,
        ))
      ) {
        if (child.exitCode !== null || Date.now() > deadline)
          throw new Error(`Prometheus did not start:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }, 60_000);

    afterAll(async () => {
      if (child !== undefined && child.exitCode === null) {
        const exited = new Promise((resolve) => child?.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
      await app?.close();
      await store?.close();
      if (dir !== "") await rm(dir, { recursive: true, force: true });
    });

    it("records the burn rates the API reports, and fires the rule deployslo would", async () => {
      // Counters at zero are scraped before any verdict, so every lookback holds all of them.
      await until('deployslo_slo_verdicts_total{slo="prod-live"}', (s) => s.length === 2);
      const posted = await app?.inject({
        method: "POST",
        url: "/api/v1/attempts",
        headers: { "content-type": "application/json" },
        payload: attempts(Date.now()),
      });
      expect(posted?.statusCode, posted?.body).toBe(200);
      const settled = Date.now() + 3_000;
      await until('slo:burn_rate:ratio_rate5m{slo="prod-live"}', (s) =>
        s.some((x) => x.value[0] * 1000 > settled && Number(x.value[1]) > 0),
      );
      const api = (await app?.inject({ method: "GET", url: "/api/v1/slos" }))?.json() as {
        slos: { name: string; burnRates: Record<string, number> }[];
      };
      const compared: string[] = [];
      for (const slo of api.slos) {
        for (const [window, expected] of Object.entries(slo.burnRates)) {
          const record =
            window === "window"
              ? "slo:period_burn_rate:ratio"
              : `slo:burn_rate:ratio_rate${window}`;
          const [sample] = await query(`${record}{slo="${slo.name}"}`);
          expect(sample, `${record} for ${slo.name}`).toBeDefined();
          const recorded = Number(sample?.value[1]);
          // Exact up to the last bits of a double: the same counts, divided in another order.
          expect(Math.abs(recorded - expected), `${slo.name} ${window}`).toBeLessThanOrEqual(
            1e-12 * expected,
          );
          compared.push(`${slo.name} ${window} ${expected}`);
        }
      }
      expect(compared).toContain("prod-live 1h 6.25");
      expect(compared).toContain("all-live 1h 92.3076923076923");
      expect(compared).toContain("all-live 16h48m 92.3076923076923");
      // prod-live: 5 of 8 bad at 90% burns 6.25: the 6h/30m rule (factor 6) holds, the 1h/5m one
      // (factor 8, 4/5 of the highest burn of 10) does not.
      const alerts = await until(
        'ALERTS{alertname="DeploysloSloBurnRate", alertstate="firing"}',
        (s) => s.length >= 1,
      );
      const firing = alerts.map((a) => `${a.metric.slo} ${a.metric.rule}`).sort();
      expect(firing).toContain("prod-live medium-burn");
      expect(firing).not.toContain("prod-live fast-burn");
    }, 60_000);

    it("estimates p95 from the duration histogram within the bucket that holds deployslo's exact p95", async () => {
      const api = (await app?.inject({ method: "GET", url: "/api/v1/slos" }))?.json() as {
        slos: { name: string; percentiles: { p95: number } }[];
      };
      for (const slo of api.slos) {
        const series = `${METRIC_NAMES.duration}_bucket{slo="${slo.name}"}`;
        const expr = `histogram_quantile(0.95, sum by (le) (max_over_time(${series}[1h]) - min_over_time(${series}[1h])))`;
        const [sample] = await until(expr, (s) => Number(s[0]?.value[1]) > 0);
        const estimate = Number(sample?.value[1]);
        const exact = slo.percentiles.p95;
        const upper = DURATION_BUCKETS.find((edge) => edge >= exact) ?? Number.POSITIVE_INFINITY;
        const lower = [...DURATION_BUCKETS].reverse().find((edge) => edge < exact) ?? 0;
        expect(estimate, `${slo.name}: exact p95 ${exact}`).toBeGreaterThan(lower);
        expect(estimate, `${slo.name}: exact p95 ${exact}`).toBeLessThanOrEqual(upper);
      }
    });

    it("answers every query of the exported Grafana dashboard with data", async () => {
      const dashboard = grafanaDashboard(slos) as {
        panels: { title: string; targets: { expr: string }[] }[];
      };
      for (const panel of dashboard.panels)
        for (const { expr } of panel.targets) {
          const samples = await query(expr.replaceAll("$slo", ".+"));
          expect(samples.length, `${panel.title}: ${expr}`).toBeGreaterThan(0);
        }
    });
  });
}
