import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { EnvironmentDriftJson } from "../../src/contract/environment-drift-schema.js";
import { generateHistoryLines, type HistoryOptions } from "../../src/sample/generate-history.js";
import { runCliCaptured } from "../support/capture-io.js";

const START = Date.parse("2026-09-01T00:00:00Z");
const DAY = 86_400_000;
const UPGRADE = START + 30 * DAY;

function historyFile(options: Partial<HistoryOptions>): string {
  const dir = mkdtempSync(join(tmpdir(), "deployslo-drift-"));
  const file = join(dir, "history.ndjson");
  const lines = generateHistoryLines({
    seed: 11,
    start: START,
    days: 45,
    degradation: false,
    ...options,
  });
  writeFileSync(file, `${[...lines].join("\n")}\n`);
  return file;
}

async function drift(file: string, ...args: string[]): Promise<EnvironmentDriftJson> {
  const run = await runCliCaptured([
    "drift",
    "--deployments",
    file,
    "--selector",
    "model=image-tagger",
    "--format",
    "json",
    ...args,
  ]);
  expect(run.exitCode, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as EnvironmentDriftJson;
}

describe("deployslo drift", () => {
  it("flags the runtime upgrade that made health checks fail, when it happened", async () => {
    const file = historyFile({
      runtimeUpgrade: { staging: UPGRADE, production: UPGRADE, extraHealthFailure: 0.4 },
    });
    const r = await drift(file);
    expect(r.changes.map((c) => c.environment).sort()).toEqual(["production", "staging"]);
    for (const c of r.changes) {
      expect(Date.parse(c.at)).toBeGreaterThanOrEqual(UPGRADE);
      expect(Date.parse(c.at) - UPGRADE).toBeLessThan(2 * DAY);
      expect(c.changed.find((k) => k.key === "runtime.version")).toEqual({
        key: "runtime.version",
        from: "24.08",
        to: "24.09",
      });
    }
    expect(r.changes.find((c) => c.environment === "staging")?.failureRate.significant).toBe(true);
  });

  it("does not flag the same upgrade when it changes nothing", async () => {
    const file = historyFile({
      runtimeUpgrade: { staging: UPGRADE, production: UPGRADE, extraHealthFailure: 0 },
    });
    const r = await drift(file);
    expect(r.changes).toHaveLength(2);
    expect(r.changes.some((c) => c.coincides)).toBe(false);
  });

  it("prints a table with the change, its test and the mismatches", async () => {
    const file = historyFile({
      runtimeUpgrade: { staging: UPGRADE, production: UPGRADE, extraHealthFailure: 0.4 },
    });
    const run = await runCliCaptured([
      "drift",
      "--deployments",
      file,
      "--selector",
      "environment=staging",
    ]);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toContain("image-tagger in staging");
    expect(run.stdout).toMatch(/SHIFT in failure rate/);
    expect(run.stdout).toContain("runtime.version 24.08 → 24.09");
    expect(run.stdout).toContain("cuda.version: served 12.1, trained 12.4");
  });
});
