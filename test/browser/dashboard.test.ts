import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, type SpawnedServer, spawnServer } from "../support/spawn-server.js";
import { browserAvailability, launchChromium } from "./browser-kit.js";

const availability = browserAvailability();
// Screenshots go to test/.output/screenshots; DEPLOYSLO_UPDATE_SCREENSHOTS=1 refreshes the ones
// in docs/screenshots (README, docs) instead, so an ordinary test run leaves the docs alone.
const SHOTS =
  process.env.DEPLOYSLO_UPDATE_SCREENSHOTS === "1"
    ? "docs/screenshots"
    : "test/.output/screenshots";
mkdirSync(SHOTS, { recursive: true });
if (!availability.run) console.warn(availability.reason);

interface OverviewJson {
  slos: {
    name: string;
    state: string;
    compliance: number | null;
    eligible: number;
    selector: { environment: string | null };
    percentiles: { p95: number | null };
    forecast: { exhaustsAt: string | null };
  }[];
  inProgress: { id: string }[];
}

const percent = (ratio: number | null) => (ratio === null ? "—" : `${(ratio * 100).toFixed(2)}%`);

describe.skipIf(!availability.run)("dashboard in headless Chromium", () => {
  let server: SpawnedServer;
  let browser: { context: BrowserContext; close(): Promise<void> };
  let page: Page;
  let dir: string;
  const errors: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "deployslo-browser-"));
    server = await spawnServer({
      config: [join(process.cwd(), "examples/slos.yaml")],
      database: join(dir, "sample.db"),
      args: ["--sample-data", "--log-level", "warn"],
      startTimeoutMs: 90_000,
    });
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on("pageerror", (error) => errors.push(String(error)));
    // The server's Content-Security-Policy must let the dashboard run all of its code.
    page.on("console", (message) => {
      if (message.text().includes("Content Security Policy")) errors.push(message.text());
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function api<T>(path: string): Promise<T> {
    const reply = await call(server.url, "GET", path);
    expect(reply.status, reply.text).toBe(200);
    return reply.json as T;
  }

  it("shows every SLO on the overview with the API's numbers", async () => {
    await page.goto(server.url);
    await page.waitForSelector("tr[data-slo]");
    const overview = await api<OverviewJson>("/api/v1/overview");
    for (const slo of overview.slos) {
      const row = page.locator(`tr[data-slo="${slo.name}"]`);
      await expect
        .poll(() => row.locator('[data-field="compliance"]').textContent())
        .toBe(percent(slo.compliance));
      expect(await row.locator("[data-state]").getAttribute("data-state")).toBe(slo.state);
      const forecast = await row.locator('[data-field="forecast"]').textContent();
      if (slo.forecast.exhaustsAt === null) expect(forecast).toBe("holds at the 3-day burn");
      else expect(forecast).toMatch(/^(spent|runs out \d{1,2} \w{3}, \d{2}:\d{2} UTC)$/);
      expect(
        (await row.locator('[data-field="eligible"]').textContent())?.startsWith(
          slo.eligible.toLocaleString("en"),
        ),
      ).toBe(true);
    }
    expect(await page.locator("tr[data-attempt]").count()).toBe(overview.inProgress.length);
    // The firing alerts the evaluator saved, as GET /api/v1/alerts lists them.
    const { alerts } = await api<{ alerts: { slo: string; alert: string }[] }>(
      "/api/v1/alerts?state=firing&transitions=0",
    );
    await expect
      .poll(async () =>
        (
          await page
            .locator("tr[data-alert]")
            .evaluateAll((rows) => rows.map((row) => row.getAttribute("data-alert")))
        ).sort(),
      )
      .toEqual(alerts.map((a) => `${a.slo}/${a.alert}`).sort());
    await page.screenshot({ path: `${SHOTS}/overview.png`, fullPage: true });
  }, 60_000);

  it("filters by environment and keeps the filter in the URL", async () => {
    await page.selectOption('select[name="environment"]', "staging");
    await page.waitForURL(/environment=staging/);
    const filtered = await api<OverviewJson>("/api/v1/overview?environment=staging");
    await expect.poll(() => page.locator("tr[data-slo]").count()).toBe(filtered.slos.length);
    expect(await page.locator('tr[data-slo="prod-deploys"]').count()).toBe(0);
  }, 30_000);

  it("restores state from a deep link", async () => {
    await page.goto(`${server.url}/stages?environment=production&range=30d`);
    await page.waitForSelector("tr[data-stage]");
    expect(await page.locator('select[name="environment"]').inputValue()).toBe("production");
    expect(await page.locator('.segmented button[aria-pressed="true"]').textContent()).toBe("30 d");
  }, 30_000);

  it("opens an SLO page with its charts and recent attempts", async () => {
    await page.goto(server.url);
    await page.click('tr[data-slo="prod-deploys"] a');
    await page.waitForURL(/\/slos\/prod-deploys/);
    await page.waitForSelector("tr[data-attempt]");
    await page.waitForSelector(".chart canvas");
    const { slo } = await api<{ slo: { eligible: number; compliance: number | null } }>(
      "/api/v1/slos/prod-deploys?points=2",
    );
    expect(await page.locator('.kpi [data-field="compliance"]').textContent()).toBe(
      percent(slo.compliance),
    );
    expect(await page.locator('.kpi [data-field="eligible"]').textContent()).toBe(
      slo.eligible.toLocaleString("en"),
    );
    expect(await page.locator(".chart canvas").count()).toBeGreaterThanOrEqual(4);
    await page.screenshot({ path: `${SHOTS}/slo.png`, fullPage: true });
  }, 60_000);

  it("opens an attempt's waterfall with the critical path and markers", async () => {
    // The slowest succeeded attempt listed: a full trace with parallel stages and a wait.
    const { attempts } = await api<{
      attempts: { id: string; outcome: string; durationSeconds: number | null }[];
    }>("/api/v1/slos/prod-deploys/attempts?limit=25");
    const listed = new Set(
      await page
        .locator("tr[data-attempt]")
        .evaluateAll((rows) => rows.map((row) => row.getAttribute("data-attempt"))),
    );
    const slowest = attempts
      .filter((a) => a.outcome === "succeeded" && listed.has(a.id))
      .sort((a, b) => (b.durationSeconds ?? 0) - (a.durationSeconds ?? 0))[0];
    expect(slowest).toBeDefined();
    await page.click(`tr[data-attempt="${slowest?.id}"] a`);
    await page.waitForURL(/\/attempts\//);
    await page.waitForSelector(".wf-bar");
    const id = decodeURIComponent(new URL(page.url()).pathname.split("/").pop() ?? "");
    const trace = await api<{ attempt: { stages: { name: string }[] }; criticalPath: number[] }>(
      `/api/v1/attempts/${encodeURIComponent(id)}/trace`,
    );
    expect(await page.locator(".wf-body > .wf-row").count()).toBe(trace.attempt.stages.length);
    const critical = await page
      .locator('.wf-row[data-critical="true"]')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute("data-stage")));
    expect(critical).toEqual(trace.criticalPath.map((i) => trace.attempt.stages[i]?.name));
    expect(await page.locator(".wf-marker.serving").count()).toBe(1);
    await expect.poll(() => page.locator('[data-field="served"]').textContent()).not.toBeNull();
    await page.screenshot({ path: `${SHOTS}/attempt.png`, fullPage: true });
  }, 30_000);

  it("shows the stages view with the API's percentiles and tail shares", async () => {
    await page.goto(`${server.url}/stages?environment=staging`);
    await page.waitForSelector("tr[data-stage]");
    const stats = await api<{ stages: { stage: string; share: number | null }[] }>(
      `/api/v1/stages?environment=staging&from=${encodeURIComponent(new Date(Date.now() - 7 * 86_400_000).toISOString())}`,
    );
    const shown = await page
      .locator("tr[data-stage]")
      .evaluateAll((rows) => rows.map((row) => row.getAttribute("data-stage")));
    expect(shown).toEqual(stats.stages.map((s) => s.stage));
    await page.screenshot({ path: `${SHOTS}/stages.png`, fullPage: true });
  }, 30_000);

  it("switches to the dark theme and keeps it in the URL", async () => {
    await page.goto(server.url);
    await page.waitForSelector("tr[data-slo]");
    await page.keyboard.press("t");
    await page.waitForURL(/theme=dark/);
    expect(await page.locator("html").getAttribute("data-theme")).toBe("dark");
    await page.screenshot({ path: `${SHOTS}/overview-dark.png`, fullPage: true });
    await page.keyboard.press("s");
    await page.waitForURL(/\/stages\?theme=dark/);
    expect(errors).toEqual([]);
  }, 30_000);

  it("warns on the overview about an attempt in progress for long, as the API marks it", async () => {
    const startedAt = new Date(Date.now() - 13 * 3_600_000).toISOString();
    const record = {
      id: "stuck-ci-job",
      model: "fraud-detector",
      version: "999",
      environment: "production",
      labels: { team: "risk", accelerator: "cpu" },
      startedAt,
      attributes: { timeoutSeconds: 86_400 },
    };
    const posted = await call(
      server.url,
      "POST",
      "/api/v1/attempts",
      `${JSON.stringify(record)}\n`,
    );
    expect(posted.status, posted.text).toBe(200);
    const overview = await api<{ inProgress: { id: string; stale: boolean }[] }>(
      "/api/v1/overview",
    );
    const stale = overview.inProgress.filter((a) => a.stale).map((a) => a.id);
    expect(stale).toContain("stuck-ci-job");
    await page.goto(server.url);
    await page.waitForSelector("[data-testid=stale-attempts]");
    const shown = await page
      .locator("[data-testid=stale-attempts] li[data-attempt]")
      .evaluateAll((items) => items.map((item) => item.getAttribute("data-attempt")));
    expect(shown).toEqual(stale);
    await page.locator("[data-testid=stale-attempts]").screenshot({ path: `${SHOTS}/stale.png` });
  }, 30_000);
});
