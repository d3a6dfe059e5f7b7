// npm run bench:dashboard: how fast the dashboard's first view is over a large history.
//   1. stores ~1,000,000 generated plain attempts (400 days, 2,500 a day, ending now) and 20,000
//      attempts with stages (the last 8 days) in a fresh SQLite database, through the API
//   2. times the API calls of each view (median / max of 10 after one warm-up call)
//   3. if /usr/bin/chromium exists: the overview's first render in headless Chromium (from
//      navigation to the SLO table showing the API's numbers), cold context, median of 5
//   4. the production bundle's size, raw and gzip
// Every request goes to 127.0.0.1; the results are printed as Markdown for docs/benchmarks.md.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { agent, http, startServer } from "./serve-kit.js";

const STORED = Number(process.env.BENCH_STORED ?? 1_000_000);
const STAGED = Number(process.env.BENCH_STAGED ?? 20_000);
const DATA = "bench/.data";
const DAY = 86_400_000;
mkdirSync(DATA, { recursive: true });
const database = `${DATA}/dashboard-bench.db`;
// BENCH_REUSE_DB=1 keeps the database of the previous run (skips the load).
const reuse = process.env.BENCH_REUSE_DB === "1" && existsSync(database);
if (!reuse) for (const suffix of ["", "-wal", "-shm"]) rmSync(database + suffix, { force: true });

const { generateHistoryLines } = await import("../dist/sample/generate-history.js");

async function load(url, options, count, idPrefix) {
  let lines = [];
  let sent = 0;
  const flush = async () => {
    const r = await http("POST", `${url}/api/v1/attempts`, lines.join("\n"));
    if (r.status !== 200) throw new Error(`ingest answered ${r.status}: ${r.body.slice(0, 300)}`);
    sent += lines.length;
    lines = [];
  };
  for (const line of generateHistoryLines(options)) {
    lines.push(line.replace('"id":"att-', `"id":"${idPrefix}-`));
    if (lines.length === 1000) await flush();
    if (sent + lines.length >= count) break;
  }
  if (lines.length > 0) await flush();
  return sent;
}

async function timeCalls(url, path) {
  const warm = await http("GET", url + path);
  if (warm.status !== 200) throw new Error(`${path} answered ${warm.status}: ${warm.body}`);
  const times = [];
  for (let i = 0; i < 10; i++) times.push((await http("GET", url + path)).ms);
  times.sort((a, b) => a - b);
  return { median: times[5], max: times[9], bytes: warm.body.length };
}

async function firstRender(url) {
  if (!existsSync("/usr/bin/chromium")) return null;
  const { chromium } = await import("playwright-core");
  const profile = mkdtempSync(join(tmpdir(), "deployslo-bench-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const times = [];
  const inPage = [];
  const busy = [];
  try {
    for (let i = 0; i < 5; i++) {
      const page = await context.newPage();
      // A fresh page with the HTTP cache cleared each time: the bundle is fetched too.
      const cdp = await context.newCDPSession(page);
      await cdp.send("Network.clearBrowserCache");
      await cdp.send("Performance.enable");
      const t0 = performance.now();
      await page.goto(url);
      await page.waitForSelector('tr[data-slo] [data-field="compliance"]');
      times.push(performance.now() - t0);
      // The same instant measured by the page itself, from navigation start.
      // Main-thread busy time of the page (script, layout, paint): less sensitive to other load.
      const { metrics } = await cdp.send("Performance.getMetrics");
      busy.push(1000 * (metrics.find((m) => m.name === "TaskDuration")?.value ?? Number.NaN));
      inPage.push(
        await page.evaluate(
          () =>
            performance.getEntriesByName("deployslo:overview-rendered")[0]?.startTime ?? Number.NaN,
        ),
      );
      await page.close();
    }
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
  times.sort((a, b) => a - b);
  inPage.sort((a, b) => a - b);
  busy.sort((a, b) => a - b);
  return {
    median: times[2],
    max: times[4],
    pageMedian: inPage[2],
    pageMax: inPage[4],
    busyMedian: busy[2],
    busyMax: busy[4],
  };
}

function bundle() {
  const dir = "dist/web/assets";
  const files = readdirSync(dir).map((name) => readFileSync(join(dir, name)));
  const html = readFileSync("dist/web/index.html");
  const all = [...files, html];
  return {
    raw: all.reduce((sum, b) => sum + b.length, 0),
    gzip: all.reduce((sum, b) => sum + gzipSync(b, { level: 9 }).length, 0),
    js: files
      .filter((_, i) => readdirSync(dir)[i]?.endsWith(".js"))
      .reduce((s, b) => s + b.length, 0),
  };
}

const now = Date.now();
const server = await startServer(database, "examples/slos.yaml");
console.error(
  reuse
    ? "reusing the stored attempts"
    : `loading ${STORED} plain attempts and ${STAGED} with stages …`,
);
const t0 = performance.now();
const plain = reuse
  ? 0
  : await load(
      server.url,
      {
        seed: 7,
        start: now - (STORED / 2500) * DAY,
        days: STORED / 2500,
        attemptsPerDay: 2500,
        withStages: false,
      },
      STORED,
      "plain",
    );
const staged = reuse
  ? 0
  : await load(
      server.url,
      {
        seed: 8,
        start: now - (STAGED / 2500) * DAY,
        days: STAGED / 2500,
        attemptsPerDay: 2500,
        inProgressAtEnd: true,
      },
      STAGED,
      "staged",
    );
console.error(`loaded in ${((performance.now() - t0) / 1000).toFixed(0)} s`);

const calls = {
  "GET /api/v1/overview": "/api/v1/overview",
  "GET /api/v1/overview?environment=production": "/api/v1/overview?environment=production",
  "GET /api/v1/slos/prod-deploys?points=120": "/api/v1/slos/prod-deploys?points=120",
  "GET /api/v1/slos/prod-deploys/histogram": "/api/v1/slos/prod-deploys/histogram",
  "GET /api/v1/slos/prod-deploys/attempts?limit=25": "/api/v1/slos/prod-deploys/attempts?limit=25",
  "GET /api/v1/stages (7 days, 5,000 newest)": "/api/v1/stages",
};
const results = {};
// One pass over every call first, so no figure includes the server settling after the load.
for (const path of Object.values(calls)) await http("GET", server.url + path);
for (const [label, path] of Object.entries(calls))
  results[label] = await timeCalls(server.url, path);
const render = await firstRender(server.url);
await server.stop();
const size = bundle();

const fmt = (n) => Math.round(n).toLocaleString("en");
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
const lines = [
  `Load average while measuring: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(", ")}.`,
  `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} × ${cpus()[0]?.model ?? "?"}, ${fmt(totalmem() / 2 ** 30)} GiB, Node.js ${process.version}; ${reuse ? "the stored attempts of the previous run" : `${fmt(plain + staged)} stored attempts`} (SQLite).`,
  "",
  "| request | median | max of 10 | response |",
  "| --- | --- | --- | --- |",
  ...Object.entries(results).map(
    ([label, r]) =>
      `| ${label} | ${r.median.toFixed(1)} ms | ${r.max.toFixed(1)} ms | ${kib(r.bytes)} |`,
  ),
  render === null
    ? "| overview first render in headless Chromium | skipped: /usr/bin/chromium not found | | |"
    : `| overview first render in headless Chromium, as the page measures it (navigation start → SLO table filled; empty cache) | ${fmt(render.pageMedian)} ms | ${fmt(render.pageMax)} ms (of 5) | |\n| the same seen from the test driver (page.goto → selector found) | ${fmt(render.median)} ms | ${fmt(render.max)} ms (of 5) | |\n| the page's main-thread busy time until then (CDP TaskDuration) | ${fmt(render.busyMedian)} ms | ${fmt(render.busyMax)} ms (of 5) | |`,
  "",
  `Production bundle (dist/web): ${kib(size.raw)} raw, ${kib(size.gzip)} gzip (JavaScript ${kib(size.js)} raw).`,
];
console.log(lines.join("\n"));
agent.destroy();
