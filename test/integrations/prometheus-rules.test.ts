import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseSloSpecs } from "../../src/core/spec/parse-slo-specs.js";
import { prometheusRules } from "../../src/integrations/prometheus/prometheus-rules.js";

const PROMTOOL = process.env.DEPLOYSLO_TEST_PROMTOOL ?? "/usr/bin/promtool";
const available = existsSync(PROMTOOL);

function slosOf(file: string) {
  const parsed = parseSloSpecs(readFileSync(file, "utf8"), file);
  expect(parsed.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return parsed.slos;
}

/** promtool's verdict on a rule file: its exit code and what it printed. */
function promtoolCheck(rules: string): { status: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), "deployslo-promtool-"));
  try {
    const file = join(dir, "rules.yaml");
    writeFileSync(file, rules);
    const run = spawnSync(PROMTOOL, ["check", "rules", file], { encoding: "utf8" });
    return { status: run.status, output: `${run.stdout}${run.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (!available && process.env.CI !== undefined) {
  describe("exported Prometheus rules under promtool", () => {
    it("has promtool installed", () => {
      expect.fail(`${PROMTOOL} is missing: apt-get install prometheus (see .ci/run)`);
    });
  });
} else {
  const suite = available ? describe : describe.skip;
  const name = available
    ? "exported Prometheus rules under promtool"
    : `exported Prometheus rules (skipped: ${PROMTOOL} is missing; apt-get install prometheus)`;
  suite(name, () => {
    for (const file of [
      "examples/slos.yaml",
      "test/integrations/fixtures/every-feature.deployslo.yaml",
    ]) {
      it(`passes promtool check rules for ${file}`, () => {
        const result = promtoolCheck(prometheusRules(slosOf(file)));
        expect(result.output).toMatch(/SUCCESS: \d+ rules found/);
        expect(result.status, result.output).toBe(0);
      });
    }

    it("is refused by promtool when a rule is broken, so the check above can fail", () => {
      const broken = prometheusRules(slosOf("examples/slos.yaml")).replace(
        "max_over_time(",
        "max_over_time((",
      );
      expect(promtoolCheck(broken).status).not.toBe(0);
    });
  });
}
