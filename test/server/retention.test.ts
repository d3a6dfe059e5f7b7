import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { DEFAULT_RECORD_LIMITS } from "../../src/core/attempt/record-limits.js";
import { type RunningService, runService } from "../../src/server/run-service.js";
import { openStore } from "../../src/store/open-store.js";
import { DAY, makeAttempt } from "../support/make-attempt.js";

// `serve --retain`: deletes at start what no SLO can see, counts it on /metrics, and keeps the
// SLOs it has when a reload brings one that reads further back than the retention keeps.

let dir: string;
let service: RunningService | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "deployslo-serve-retain-"));
});
afterEach(async () => {
  await service?.close();
  service = undefined;
  rmSync(dir, { recursive: true, force: true });
});

function start(database: string, configFile: string) {
  return runService({
    configFiles: [configFile],
    database,
    sampleData: false,
    logLevel: "silent",
    ingestWorkers: 0,
    retention: { kind: "fixed", ms: 40 * DAY },
    server: {
      host: "127.0.0.1",
      port: 0,
      bodyLimitBytes: 1024 * 1024,
      recordLimits: DEFAULT_RECORD_LIMITS,
      tokens: [],
      insecure: false,
    },
  });
}

it("deletes at start, counts it on /metrics, and refuses a reload that needs more", async () => {
  const database = join(dir, "deployslo.db");
  const config = join(dir, "slos.yaml");
  const fixture = readFileSync("test/fixtures/slos.yaml", "utf8");
  writeFileSync(config, fixture);
  const now = Date.now();
  const store = await openStore(database);
  await store.upsertAttempts([
    makeAttempt({ id: "old", startedAt: now - 100 * DAY, servingAt: now - 100 * DAY + 60_000 }),
    makeAttempt({ id: "recent", startedAt: now - 39 * DAY, servingAt: now - 39 * DAY + 60_000 }),
  ]);
  await store.close();

  service = await start(database, config);
  const running = service;
  const counted = async () =>
    (await running.app.inject({ method: "GET", url: "/metrics" })).body
      .split("\n")
      .filter((line) => line.startsWith("deployslo_retention_deleted_total"));
  await expect
    .poll(counted, { timeout: 10_000 })
    .toContain('deployslo_retention_deleted_total{table="attempts"} 1');
  const listed = await running.app.inject({ method: "GET", url: "/api/v1/attempts" });
  expect(listed.json().attempts.map((a: { id: string }) => a.id)).toEqual(["recent"]);

  // A 60-day window needs 63 days: the reload is refused and the SLOs stay as they were.
  writeFileSync(config, fixture.replace("window: 7d", "window: 60d"));
  expect(await running.reload()).toBe(false);
  const slos = await running.app.inject({ method: "GET", url: "/api/v1/slos" });
  expect(JSON.stringify(slos.json())).toContain('"length":"7d"');
  expect(JSON.stringify(slos.json())).not.toContain('"length":"60d"');
});
