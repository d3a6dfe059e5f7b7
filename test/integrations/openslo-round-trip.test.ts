import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../src/core/spec/diagnostic.js";
import { parseSloSpecs } from "../../src/core/spec/parse-slo-specs.js";
import type { Slo } from "../../src/core/spec/slo.js";
import { exportOpenSlo } from "../../src/integrations/openslo/export-openslo.js";
import { importOpenSlo } from "../../src/integrations/openslo/import-openslo.js";

/** An SLO with its decimals reduced and its source left out: what "equivalent" compares. */
function normalised(slo: Slo): unknown {
  const { source: _source, objective, ...rest } = slo;
  let { units, scale } = objective.target;
  while (scale > 1n && units % 10n === 0n) {
    units /= 10n;
    scale /= 10n;
  }
  return { ...rest, objective: { ...objective, target: { units, scale } } };
}

function parsed(text: string, file: string): readonly Slo[] {
  const result = parseSloSpecs(text, file);
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return result.slos;
}

/** What a diagnostic says, wherever it is. */
function said(d: Diagnostic): string {
  return `${d.severity}: ${d.path}: ${d.message}`;
}

describe("OpenSLO export then import", () => {
  const source = readFileSync("test/integrations/fixtures/every-feature.deployslo.yaml", "utf8");
  const original = parsed(source, "every-feature.yaml");

  it("gives back an equivalent deployslo spec for every spec feature", () => {
    const exported = exportOpenSlo(original);
    const imported = importOpenSlo(exported, "exported.yaml");
    // The import adds no finding of its own: only the spec's own warnings come back.
    const own = parseSloSpecs(source, "every-feature.yaml").diagnostics.map(said);
    expect(imported.diagnostics.map(said)).toEqual(own);
    const back = parsed(imported.yaml, "imported.yaml");
    expect(back.map(normalised)).toEqual(original.map(normalised));
  });

  it("imports the example of docs/openslo.md as the SLO it describes", () => {
    const doc = readFileSync("docs/openslo.md", "utf8");
    const block = /## What an exported SLO looks like[\s\S]*?```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(block, "docs/openslo.md lost its example").toBeDefined();
    const imported = importOpenSlo(block ?? "", "docs/openslo.md");
    expect(imported.diagnostics).toEqual([]);
    const [slo] = parsed(imported.yaml, "imported.yaml");
    expect(slo?.selector).toEqual({ environment: "production", model: "fraud-*", labels: {} });
    expect(slo?.objective.thresholdMs).toBe(300_000);
    expect(slo?.alerting.notify).toEqual(["oncall-pager"]);
    expect(slo?.alerting.rules).toMatchObject([
      { name: "fast-burn", longWindowMs: 3_600_000, shortWindowMs: 300_000, budgetFraction: 0.02 },
    ]);
  });
});
