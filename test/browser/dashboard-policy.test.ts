import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/open-store.js";
import { HOUR, MINUTE, makeAttempt } from "../support/make-attempt.js";
import { call, type SpawnedServer, spawnServer } from "../support/spawn-server.js";
import { browserAvailability, launchChromium } from "./browser-kit.js";

// The error budget policy on the dashboard, against a real server whose data makes one SLO
// frozen, one require approval and one open, with gate decisions and an approval audited.

const availability = browserAvailability();
const SHOTS =
  process.env.DEPLOYSLO_UPDATE_SCREENSHOTS === "1"
    ? "docs/screenshots"
    : "test/.output/screenshots";
mkdirSync(SHOTS, { recursive: true });
if (!availability.run) console.warn(availability.reason);

const CONFIG = `apiVersion: deployslo/v1
kind: SLO
metadata: {name: prod-deploys}
spec:
  selector: {environment: production}
  objective: {threshold: 5m, target: 95%}
  window: 7d
---
apiVersion: deployslo/v1
kind: SLO
metadata: {name: staging-deploys}
spec:
  selector: {environment: staging}
  objective: {threshold: 5m, target: 95%}
  window: 7d
  policy: {approvalBelow: 50%, exempt: [rollback]}
---
apiVersion: deployslo/v1
kind: SLO
metadata: {name: canary-deploys}
spec:
  selector: {environment: canary}
  objective: {threshold: 5m, target: 95%}
  window: 7d
  policy: {approvalBelow: 25%}
`;

/** `good` 3-minute and `bad` 9-minute promotions of fraud-detector to `environment`, hourly. */
function history(environment: string, good: number, bad: number, now: number) {
  return Array.from({ length: good + bad }, (_, i) => {
    const startedAt = now - (i + 2) * HOUR;
    const minutes = i < bad ? 9 : 3;
    return makeAttempt({
      id: `${environment}-${i}`,
      environment,
      version: String(100 - i),
      startedAt,
      servingAt: startedAt + minutes * MINUTE,
    });
  });
}

interface OverviewJson {
  slos: { name: string; policy: { state: string; reason: string; remainingRatio: number } }[];
}

describe.skipIf(!availability.run)("the policy state and the audit log in Chromium", () => {
  let server: SpawnedServer;
  let browser: { context: BrowserContext; close(): Promise<void> };
  let page: Page;
  let dir: string;
  const errors: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "deployslo-browser-policy-"));
    const config = join(dir, "slos.yaml");
    writeFileSync(config, CONFIG);
    const database = join(dir, "store.db");
    const now = Date.now();
    const store = await openStore(database);
    await store.upsertAttempts([
      // 3 bad of 13: more than the 5% budget → frozen.
      ...history("production", 10, 3, now),
      // 2 bad of 50: 20% of the budget left, under 50% → approval required.
      ...history("staging", 48, 2, now),
      // nothing bad → open.
      ...history("canary", 20, 0, now),
    ]);
    await store.close();
    server = await spawnServer({
      config: [config],
      database,
      args: ["--log-level", "warn"],
      startTimeoutMs: 60_000,
    });
    const ask = (environment: string, version: string) =>
      call(server.url, "POST", "/api/v1/gate", { model: "fraud-detector", environment, version });
    expect((await ask("production", "101")).json).toMatchObject({ decision: "deny" });
    expect((await ask("staging", "101")).json).toMatchObject({ decision: "approval_required" });
    const approval = await call(server.url, "POST", "/api/v1/approvals", {
      model: "fraud-detector",
      environment: "staging",
      reason: "latency fix verified on the load test",
    });
    expect(approval.status, approval.text).toBe(201);
    expect((await ask("staging", "101")).json).toMatchObject({ decision: "allow" });
    expect((await ask("canary", "101")).json).toMatchObject({ decision: "allow" });
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on("pageerror", (error) => errors.push(String(error)));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("shows each SLO's policy state, and a frozen SLO in a banner above everything", async () => {
    const overview = (await call(server.url, "GET", "/api/v1/overview")).json as OverviewJson;
    const states = Object.fromEntries(overview.slos.map((s) => [s.name, s.policy.state]));
    expect(states).toEqual({
      "prod-deploys": "frozen",
      "staging-deploys": "approval_required",
      "canary-deploys": "open",
    });
    await page.goto(server.url);
    await page.waitForSelector("tr[data-slo]");
    for (const slo of overview.slos) {
      const badge = page.locator(`tr[data-slo="${slo.name}"] [data-field="policy"] [data-policy]`);
      expect(await badge.getAttribute("data-policy")).toBe(slo.policy.state);
    }
    expect(
      await page.locator('tr[data-slo="prod-deploys"] [data-policy="frozen"]').textContent(),
    ).toContain("Frozen");
    const banner = page.locator('[data-field="frozen-banner"]');
    expect(await banner.getAttribute("role")).toBe("alert");
    expect(await banner.textContent()).toContain("Deployments frozen by 1 SLO");
    expect(await banner.locator("li").getAttribute("data-slo")).toBe("prod-deploys");
    expect(await banner.textContent()).toContain("To unblock: wait until failures leave");
    // The banner is the first thing in the page's content.
    expect(await page.locator("main .notice, main .card").first().getAttribute("data-field")).toBe(
      "frozen-banner",
    );
    const approvalBanner = page.locator('[data-field="approval-banner"]');
    expect(await approvalBanner.locator("li").getAttribute("data-slo")).toBe("staging-deploys");
    await page.screenshot({ path: `${SHOTS}/overview-policy.png`, fullPage: true });
    expect(errors).toEqual([]);
  }, 60_000);

  it("shows the policy and its recent gate decisions and approvals on the SLO page", async () => {
    await page.goto(`${server.url}/slos/staging-deploys`);
    const reason = page.locator('[data-field="policy-reason"]');
    await reason.waitFor();
    expect(await reason.textContent()).toBe(
      "approval required: 20% of the error budget left, under 50% (policy: approval below 50%, freeze when exhausted).",
    );
    const rows = page.locator('[data-field="slo-audit"] tr[data-seq]');
    await expect.poll(() => rows.count()).toBe(3);
    expect(await rows.evaluateAll((r) => r.map((row) => row.getAttribute("data-kind")))).toEqual([
      "gate_decision",
      "approval",
      "gate_decision",
    ]);
    expect(await rows.nth(2).locator("[data-decision]").textContent()).toBe("approval required");
    expect(await rows.nth(2).locator('[data-field="inputs"]').textContent()).toContain(
      "20.0% of the budget left · 2 bad of 50 eligible",
    );
    await page.screenshot({ path: `${SHOTS}/slo-policy.png`, fullPage: true });

    await page.goto(`${server.url}/slos/prod-deploys`);
    await page.locator('[data-field="policy-card"] [data-policy="frozen"]').waitFor();
    expect(await page.locator('[data-field="policy-card"]').textContent()).toContain(
      "To unblock: wait until failures leave the window",
    );
    expect(errors).toEqual([]);
  }, 60_000);

  it("filters and pages the audit log, and each entry shows the numbers it saw", async () => {
    await page.goto(`${server.url}/audit`);
    const rows = page.locator("tr[data-seq]");
    await expect.poll(() => rows.count()).toBe(5);
    await page.screenshot({ path: `${SHOTS}/audit.png`, fullPage: true });

    await page.selectOption('select[name="slo"]', "prod-deploys");
    await page.waitForURL(/slo=prod-deploys/);
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.locator("[data-decision]").textContent()).toBe("deny");
    expect(await rows.locator('[data-field="inputs"]').textContent()).toContain(
      "3 bad of 13 eligible",
    );

    await page.selectOption('select[name="slo"]', "");
    await page.selectOption('select[name="entry"]', "approval");
    await page.waitForURL(/entry=approval/);
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.textContent()).toContain("latency fix verified on the load test");

    await page.selectOption('select[name="entry"]', "");
    await page.selectOption('select[name="environment"]', "staging");
    await expect.poll(() => rows.count()).toBe(3);

    // A range that ends before anything was written shows nothing.
    await page.goto(
      `${server.url}/audit?range=custom&from=2020-01-01T00%3A00%3A00Z&to=2020-01-02T00%3A00%3A00Z`,
    );
    await page.getByText("No audit entries").waitFor();

    // Pages of 25: 30 more decisions make a second page, reached with "Older".
    for (let i = 0; i < 30; i++) {
      await call(server.url, "POST", "/api/v1/gate", {
        model: "fraud-detector",
        environment: "canary",
      });
    }
    await page.goto(`${server.url}/audit`);
    await expect.poll(() => rows.count()).toBe(25);
    const newest = Number(await rows.first().getAttribute("data-seq"));
    await page.click('[data-field="older"]');
    await page.waitForURL(/before=/);
    await expect.poll(() => rows.count()).toBe(10);
    expect(Number(await rows.first().getAttribute("data-seq"))).toBe(newest - 25);
    expect(errors).toEqual([]);
  }, 90_000);
});
