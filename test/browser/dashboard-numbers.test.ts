import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { budgetAmount, duration, percent, rate } from "../../web/src/format.js";
import { call, type SpawnedServer, spawnServer } from "../support/spawn-server.js";
import { browserAvailability, launchChromium } from "./browser-kit.js";

// Each page of the dashboard against the API it reads: every number shown is the API's, at the
// instant the page says, and nothing is labelled or coloured for another indicator.

const availability = browserAvailability();
const HOUR = 3_600_000;
mkdirSync("test/.output", { recursive: true });

interface SloJson {
  name: string;
  description: string | null;
  state?: string;
  compliance: number | null;
  eligible: number;
  thresholdSeconds: number;
  errorBudget: { remaining: number; total: number; unit: "attempts" | "seconds" };
  burnRates: Record<"1h" | "6h" | "1d" | "window", number>;
  percentiles: Record<"p50" | "p95" | "p99", number | null>;
  window: { kind: string; length: string };
}

interface OverviewJson {
  at: string;
  sample: boolean;
  models: string[];
  slos: SloJson[];
}

interface StagesJson {
  deploymentExtraSeconds: number | null;
  stages: {
    stage: string;
    runs: number;
    runsAfterEndPoint: number;
    extraSeconds: number | null;
    share: number | null;
  }[];
  betweenStages: { extraSeconds: number | null; share: number | null };
}

const iso = (ms: number) => new Date(ms).toISOString();

/** A recent attempt of `seconds` from promote to first inference, in two stages. */
function quickAttempt(id: string, startedAt: number, seconds: number) {
  return {
    id,
    model: "iris",
    version: "7",
    environment: "staging",
    startedAt: iso(startedAt),
    servingAt: iso(startedAt + seconds * 1000),
    endedAt: iso(startedAt + seconds * 1000),
    outcome: "succeeded",
    stages: [
      {
        name: "load",
        startedAt: iso(startedAt),
        endedAt: iso(startedAt + 1000),
        status: "succeeded",
        kind: "active",
      },
      {
        name: "warm-up",
        startedAt: iso(startedAt + 1000),
        endedAt: iso(startedAt + seconds * 1000),
        status: "succeeded",
        kind: "active",
      },
    ],
  };
}

describe.skipIf(!availability.run)("dashboard numbers against the API", () => {
  let sample: SpawnedServer;
  let empty: SpawnedServer;
  let browser: { context: BrowserContext; close(): Promise<void> };
  let page: Page;
  let dir: string;
  const errors: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "deployslo-browser-numbers-"));
    // An SLO without a description, on a store with no attempts at all.
    const bare = join(dir, "bare.yaml");
    writeFileSync(
      bare,
      [
        "apiVersion: deployslo/v1",
        "kind: SLO",
        "metadata: { name: bare }",
        "spec:",
        "  objective: { threshold: 1h, target: 90% }",
        "  window: 30d",
        "",
      ].join("\n"),
    );
    [sample, empty] = await Promise.all([
      spawnServer({
        config: [join(process.cwd(), "examples/slos.yaml")],
        database: join(dir, "sample.db"),
        args: ["--sample-data", "--log-level", "warn"],
        startTimeoutMs: 90_000,
      }),
      spawnServer({
        config: [bare],
        database: join(dir, "empty.db"),
        args: ["--log-level", "warn"],
      }),
    ]);
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on("pageerror", (error) => errors.push(String(error)));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([sample?.stop(), empty?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  async function api<T>(server: SpawnedServer, path: string): Promise<T> {
    const reply = await call(server.url, "GET", path);
    expect(reply.status, reply.text).toBe(200);
    return reply.json as T;
  }

  async function text(selector: string): Promise<string> {
    return ((await page.locator(selector).first().textContent()) ?? "").trim();
  }

  it("marks sample data as sample on the overview", async () => {
    const overview = await api<OverviewJson>(sample, "/api/v1/overview");
    expect(overview.sample).toBe(true);
    await page.goto(sample.url);
    await page.waitForSelector("tr[data-slo]");
    expect(await page.locator('[data-field="sample-notice"]').count()).toBe(1);
    expect(await text('[data-field="sample-notice"]')).toContain("sample: true");
  }, 60_000);

  it("shows every number of an SLO page with a custom range as of its end", async () => {
    // Ten days ending twenty days ago, inside the sample's sixty: not the present.
    const to = Math.floor((Date.now() - 20 * 24 * HOUR) / HOUR) * HOUR;
    const from = to - 9 * 24 * HOUR;
    await page.goto(
      `${sample.url}/slos/staging-deploys?range=custom&from=${iso(from)}&to=${iso(to)}`,
    );
    await page.waitForSelector(".kpi");
    const { slo } = await api<{ slo: SloJson }>(
      sample,
      `/api/v1/slos/staging-deploys?at=${iso(to)}&points=2`,
    );
    const now = await api<{ slo: SloJson }>(sample, "/api/v1/slos/staging-deploys?points=2");
    // The check means something only if the present differs from the range's end.
    expect(now.slo.eligible).not.toBe(slo.eligible);
    await expect.poll(() => text('.kpi [data-field="compliance"]')).toBe(percent(slo.compliance));
    expect(await text('.kpi [data-field="eligible"]')).toBe(slo.eligible.toLocaleString("en"));
    expect(await text('.kpi [data-field="budget"]')).toBe(
      `${budgetAmount(slo.errorBudget.remaining, slo.errorBudget.unit)} of ${budgetAmount(slo.errorBudget.total, slo.errorBudget.unit)}`,
    );
    expect(await text('.kpi [data-field="burn-rates"]')).toBe(
      `${rate(slo.burnRates["1h"])} · ${rate(slo.burnRates["6h"])} · ${rate(slo.burnRates["1d"])}`,
    );
    expect(await text('.kpi [data-field="percentiles"]')).toBe(
      `${duration(slo.percentiles.p50)} · ${duration(slo.percentiles.p95)} · ${duration(slo.percentiles.p99)}`,
    );
    const overview = await api<OverviewJson>(sample, `/api/v1/overview?at=${iso(to)}`);
    const state = overview.slos.find((s) => s.name === "staging-deploys")?.state;
    expect(await page.locator("h1 [data-state]").getAttribute("data-state")).toBe(state);
    // Burn-down, compliance and percentile charts all end at the range's end.
    await expect.poll(() => page.locator("section[data-until]").count()).toBe(3);
    const untils = await page
      .locator("section[data-until]")
      .evaluateAll((sections) =>
        sections.map((s) => Date.parse(s.getAttribute("data-until") ?? "")),
      );
    expect(untils).toEqual([to, to, to]);
    const histogram = await api<{ total: number }>(
      sample,
      `/api/v1/slos/staging-deploys/histogram?at=${iso(to)}`,
    );
    await expect
      .poll(() => text('[data-field="histogram-total"]'))
      .toMatch(new RegExp(`^${histogram.total.toLocaleString("en")} attempts that served`));
    await page.screenshot({ path: "test/.output/slo-custom-range.png", fullPage: true });
  }, 60_000);

  it("offers live or as-of on the overview, and as-of shows the API at that instant", async () => {
    await page.goto(sample.url);
    await page.waitForSelector("tr[data-slo]");
    const buttons = await page.locator(".page-head .segmented button").allTextContents();
    expect(buttons).toEqual(["Live", "As of…"]);
    const to = Math.floor((Date.now() - 10 * 24 * HOUR) / HOUR) * HOUR;
    await page.click('.page-head .segmented button:has-text("As of")');
    await page.fill('.custom-range input[type="datetime-local"]', iso(to).slice(0, 16));
    await page.waitForURL(new RegExp(`to=${encodeURIComponent(iso(to).slice(0, 16))}`));
    const overview = await api<OverviewJson>(sample, `/api/v1/overview?at=${iso(to)}`);
    for (const slo of overview.slos) {
      await expect
        .poll(() => text(`tr[data-slo="${slo.name}"] [data-field="compliance"]`))
        .toBe(percent(slo.compliance));
    }
  }, 60_000);

  it("labels a dependency SLO's page for the dependency and colours against its threshold", async () => {
    await page.goto(`${sample.url}/slos/staging-registry-pull`);
    await page.waitForSelector("tr[data-attempt]");
    expect(await text("#latency-heading")).toBe(
      "Dependency registry_pull duration p50 · p95 · p99",
    );
    expect(await text("#histogram-heading")).toBe("Dependency registry_pull duration histogram");
    expect(await text('[data-field="facts"]')).toMatch(/^Dependency registry_pull duration · /);
    const { attempts } = await api<{
      attempts: { id: string; measuredSeconds: number | null; overThreshold: boolean | null }[];
    }>(
      sample,
      `/api/v1/slos/staging-registry-pull/attempts?limit=25&from=${iso(Date.now() - 7 * 24 * HOUR)}`,
    );
    const shown = new Set(
      await page
        .locator("tr[data-attempt]")
        .evaluateAll((rows) => rows.map((row) => row.getAttribute("data-attempt"))),
    );
    let compared = 0;
    for (const attempt of attempts) {
      if (!shown.has(attempt.id)) continue;
      const row = page.locator(`tr[data-attempt="${attempt.id}"]`);
      const measured = row.locator('[data-field="measured"]');
      expect(await measured.textContent()).toBe(duration(attempt.measuredSeconds));
      expect((await measured.getAttribute("class"))?.includes("tone-text-bad")).toBe(
        attempt.overThreshold === true,
      );
      // The deployment duration is shown, never coloured against the dependency's threshold.
      const deployment = row.locator('[data-field="duration"]');
      expect(await deployment.getAttribute("class")).not.toContain("tone-text-bad");
      compared++;
    }
    expect(compared).toBeGreaterThan(5);
    await page.screenshot({ path: "test/.output/slo-dependency.png", fullPage: true });
  }, 60_000);

  it("writes the SLO header as separate phrases, and never names a canary as slowest", async () => {
    const response = page.waitForResponse((r) => r.url().includes("/prod-deploys/attempts?"));
    await page.goto(`${sample.url}/slos/prod-deploys`);
    const { attempts } = (await (await response).json()) as {
      attempts: { id: string; slowestStage: { name: string } | null }[];
    };
    await page.waitForSelector("tr[data-attempt]");
    // In the sample every production attempt runs a canary after its first inference.
    expect(attempts.filter((a) => a.slowestStage !== null).length).toBeGreaterThan(5);
    for (const attempt of attempts) {
      expect(attempt.slowestStage?.name).not.toBe("canary");
      const cell = page.locator(`tr[data-attempt="${attempt.id}"] [data-field="slowest-stage"]`);
      expect(((await cell.textContent()) ?? "").split(" ")[0]).toBe(
        attempt.slowestStage?.name ?? "—",
      );
    }
    const { slo } = await api<{ slo: SloJson }>(sample, "/api/v1/slos/prod-deploys?points=2");
    expect(await text('[data-field="description"]')).toBe(slo.description);
    expect(await text('[data-field="facts"]')).toBe(
      `Deployment duration · ${slo.window.kind} window of ${slo.window.length} · occurrences budgeting · threshold ${duration(slo.thresholdSeconds)}`,
    );
  }, 30_000);

  it("fits the waterfall axis to a 2.5 s attempt", async () => {
    const reply = await call(sample.url, "POST", "/api/v1/attempts", {
      ...quickAttempt("quick-1", Date.now() - 10 * 60_000, 2.5),
    });
    expect(reply.status, reply.text).toBe(200);
    await page.goto(`${sample.url}/attempts/quick-1`);
    await page.waitForSelector(".wf-bar");
    const trace = await api<{ slos: { thresholdSeconds: number }[] }>(
      sample,
      "/api/v1/attempts/quick-1/trace",
    );
    expect(Math.min(...trace.slos.map((s) => s.thresholdSeconds))).toBeGreaterThan(8);
    const ticks = await page.locator(".wf-tick").allTextContents();
    expect(ticks.at(-1)).toBe("3.0 s");
    expect(await page.locator(".wf-marker.threshold").count()).toBe(0);
    expect(await page.locator('[data-field="threshold-beyond"]').count()).toBe(1);
    await page.screenshot({ path: "test/.output/attempt-short.png", fullPage: true });
  }, 30_000);

  it("does not call an attempt in progress 'never served'", async () => {
    const startedAt = Date.now() - 60_000;
    const reply = await call(sample.url, "POST", "/api/v1/attempts", {
      id: "running-1",
      model: "iris",
      version: "8",
      environment: "staging",
      startedAt: iso(startedAt),
      outcome: "in_progress",
      stages: [{ name: "load", startedAt: iso(startedAt), status: "in_progress", kind: "active" }],
    });
    expect(reply.status, reply.text).toBe(200);
    await page.goto(`${sample.url}/attempts/running-1`);
    await page.waitForSelector(".wf-bar");
    expect(await text('[data-field="served"]')).toBe("not serving yet (in progress)");
  }, 30_000);

  it("never blames a stage that starts after first inference, and its shares add up", async () => {
    const response = page.waitForResponse((r) => r.url().includes("/api/v1/stages?"));
    await page.goto(`${sample.url}/stages?range=30d`);
    const stats = (await (await response).json()) as StagesJson;
    await page.waitForSelector("tr[data-stage]");
    const canary = stats.stages.find((s) => s.stage === "canary");
    expect(canary?.runs).toBeGreaterThan(0);
    expect(canary?.runsAfterEndPoint).toBe(canary?.runs);
    expect(canary?.share).toBe(0);
    const parts = [...stats.stages, stats.betweenStages];
    const extra = parts.reduce((sum, part) => sum + (part.extraSeconds ?? 0), 0);
    expect(extra).toBeCloseTo(stats.deploymentExtraSeconds ?? Number.NaN, 6);
    for (const stage of stats.stages) {
      const row = page.locator(`tr[data-stage="${stage.stage}"]`);
      const after = stage.runs > 0 && stage.runsAfterEndPoint === stage.runs;
      expect(await row.getAttribute("data-after-end-point")).toBe(String(after));
      // The share column comes before "on path", the last.
      expect((await row.locator("td:nth-last-child(2)").textContent())?.trim()).toBe(
        after ? "—" : percent(stage.share, 0),
      );
    }
    await page.screenshot({ path: "test/.output/stages-end-point.png", fullPage: true });
  }, 30_000);

  it("shows no state counts on an empty store, nor a missing description as text", async () => {
    const overview = await api<OverviewJson>(empty, "/api/v1/overview");
    expect(overview.models).toEqual([]);
    expect(overview.slos.map((s) => s.state)).toEqual(["ok"]);
    await page.goto(empty.url);
    await page.waitForSelector(".empty");
    expect(await page.locator('[data-field="state-counts"]').count()).toBe(0);
    expect(await page.locator(".pill-ok").count()).toBe(0);
    expect(await page.locator('[data-field="sample-notice"]').count()).toBe(0);
    await page.goto(`${empty.url}/slos/bare`);
    await page.waitForSelector(".kpi");
    expect(await page.locator(".page-head").textContent()).not.toContain("No description");
    expect(await page.locator('[data-field="description"]').count()).toBe(0);
    expect(errors).toEqual([]);
  }, 30_000);
});
