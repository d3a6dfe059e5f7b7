import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSloSpecs } from "../../src/core/spec/parse-slo-specs.js";
import { runCliCaptured } from "../support/capture-io.js";

const FIXTURES = "test/integrations/fixtures";

describe("deployslo export openslo and import openslo", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "deployslo-openslo-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("exports to --output and imports back to stdout an equivalent spec", async () => {
    const out = join(dir, "exported.yaml");
    const exported = await runCliCaptured([
      "export",
      "openslo",
      "--config",
      "examples/slos.yaml",
      "--output",
      out,
    ]);
    expect(exported.exitCode, exported.stderr).toBe(0);
    expect(exported.stdout).toBe("");
    expect(exported.stderr).toContain(`wrote ${out} (6 SLOs)`);
    const text = await readFile(out, "utf8");
    expect(text).toContain("apiVersion: openslo/v1");
    expect(text).toContain("budgetingMethod: Occurrences");
    const imported = await runCliCaptured(["import", "openslo", out]);
    expect(imported.exitCode, imported.stderr).toBe(0);
    const back = parseSloSpecs(imported.stdout, "back.yaml");
    const original = parseSloSpecs(
      await readFile("examples/slos.yaml", "utf8"),
      "examples/slos.yaml",
    );
    expect(back.diagnostics).toEqual([]);
    expect(back.slos.map((s) => s.name)).toEqual(original.slos.map((s) => s.name));
    const budgets = (slos: typeof back.slos) =>
      slos.find((s) => s.name === "staging-deploys")?.stageBudgets;
    expect(budgets(back.slos)).toEqual(budgets(original.slos));
    expect(budgets(back.slos)?.map((b) => b.stage)).toEqual([
      "validate",
      "health-check",
      "stage-artifacts",
      "provision",
      "shift-traffic",
    ]);
  });

  it("refuses a foreign file with what it cannot honour, at file:line:column, and writes nothing", async () => {
    const file = `${FIXTURES}/foreign.openslo.yaml`;
    const run = await runCliCaptured(["import", "openslo", file]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(
      `${file}:20:20: error: spec.budgetingMethod: Timeslices cannot be honoured`,
    );
    expect(run.stderr).toContain(
      `${file}:23:11: error: spec.objectives[0]: deployslo judges duration ≤ threshold: op must be lte`,
    );
    expect(run.stderr).toContain("timeSliceTarget: applies to Timeslices budgeting only");
  });

  it("imports a hand-written file, saying what it assumed or left out", async () => {
    const file = `${FIXTURES}/hand-written.openslo.yaml`;
    const run = await runCliCaptured(["import", "openslo", file]);
    expect(run.exitCode, run.stderr).toBe(0);
    const parsed = parseSloSpecs(run.stdout, "imported.yaml");
    expect(parsed.diagnostics).toEqual([]);
    const [slo] = parsed.slos;
    expect(slo?.objective.thresholdMs).toBe(300_000);
    expect(slo?.objective.target).toEqual({ units: 995n, scale: 1000n });
    expect(slo?.window).toEqual({ kind: "calendar", unit: "month" });
    expect(slo?.labels).toEqual({ team: "ml,platform", service: "fraud-serving" });
    expect(slo?.alerting.notify).toEqual(["oncall"]);
    expect(slo?.alerting.rules).toMatchObject([
      {
        name: "fast-burn",
        severity: "page",
        longWindowMs: 3_600_000,
        shortWindowMs: 300_000,
        forMs: 300_000,
      },
    ]);
    expect(slo?.alerting.rules[0]?.budgetFraction).toBeCloseTo(
      (14.4 * 3_600_000) / (30 * 86_400_000),
      15,
    );
    for (const expected of [
      "warning: metadata.labels.team: deployslo labels hold one value",
      "warning: spec.objectives[0].value: read as seconds: the threshold is 300s",
      "warning: spec.indicator: deployslo measures the attempts it records",
      "alertWhenNoData: cannot be honoured",
      "OpenSLO has no short window: using 5m",
      "AlertNotificationTarget oncall is not imported",
    ])
      expect(run.stderr).toContain(expected);
  });

  it("refuses two SLOs of one name", async () => {
    const exported = await runCliCaptured(["export", "openslo", "--config", "examples/slos.yaml"]);
    const twice = join(dir, "twice.yaml");
    const first = exported.stdout.split("---\n")[0] ?? "";
    await writeFile(twice, `${first}---\n${first}`);
    const run = await runCliCaptured(["import", "openslo", twice]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(
      'metadata.name: SLO name "prod-deploys" is used twice in the file',
    );
  });

  it("fails on specs with errors and exports nothing", async () => {
    const bad = join(dir, "bad.yaml");
    await writeFile(
      bad,
      "apiVersion: deployslo/v1\nkind: SLO\nmetadata: {name: x}\nspec:\n  objective: {threshold: 5m, target: 99}\n",
    );
    const run = await runCliCaptured(["export", "prometheus-rules", "--config", bad]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(`${bad}:5:`);
  });

  it("needs --config for SLO exports, and writes the dashboard without one", async () => {
    const missing = await runCliCaptured(["export", "openslo"]);
    expect(missing.exitCode).toBe(2);
    const dashboard = await runCliCaptured(["export", "grafana-dashboard"]);
    expect(dashboard.exitCode).toBe(0);
    expect(JSON.parse(dashboard.stdout)).toMatchObject({ uid: "deployslo-slos" });
  });
});
