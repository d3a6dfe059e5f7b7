import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../spec/diagnostic.js";
import { parseSloSpecs } from "../spec/parse-slo-specs.js";
import { parsePipelineSpec } from "./parse-pipeline-spec.js";
import { stageBudgetWarnings } from "./stage-budget-warnings.js";

function slos(budgets: string, threshold = "4m") {
  const parsed = parseSloSpecs(
    `apiVersion: deployslo/v1
kind: SLO
metadata: {name: staging}
spec:
  objective: {threshold: ${threshold}, target: 90%}
  stageBudgets:
${budgets}`,
    "slos.yaml",
  );
  expect(parsed.diagnostics).toEqual([]);
  return parsed.slos;
}

/** validate → (artifacts ∥ provision) → canary → smoke. */
function pipeline() {
  const parsed = parsePipelineSpec(
    `apiVersion: deployslo/v1
kind: Pipeline
metadata: {name: rollout}
spec:
  stages:
    - {name: validate, run: "true"}
    - {name: artifacts, needs: validate, run: "true"}
    - {name: provision, needs: validate, run: "true"}
    - name: canary
      needs: [artifacts, provision]
      canary:
        run: "true"
        steps: [50, 100]
        url: http://127.0.0.1:9000
    - {name: smoke, needs: canary, run: "true"}
  serving: {protocol: http, url: http://127.0.0.1:9000/v, field: version}
`,
    "pipeline.yaml",
  );
  expect(parsed.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  if (parsed.pipeline === undefined) throw new Error("no pipeline");
  return [parsed.pipeline];
}

const BUDGETS = [
  "    validate: 30s",
  "    artifacts: 2m",
  "    provision: 3m",
  "    canary: 1m",
  "    smoke: 10m",
  "",
].join("\n");

describe("stageBudgetWarnings", () => {
  it("adds the budgets up one after another when no pipeline runs the stages", () => {
    expect(stageBudgetWarnings(slos(BUDGETS), []).map(formatDiagnostic)).toEqual([
      "slos.yaml:6:3: warning: spec.stageBudgets: the budgets add up to 16m30s (validate 30s + artifacts 2m + provision 3m + canary 1m + smoke 10m), more than the threshold of 4m, with the stages one after another; validate the pipeline file too to follow its parallel stages",
    ]);
    expect(stageBudgetWarnings(slos("    validate: 1m\n    provision: 3m\n"), [])).toEqual([]);
  });

  it("follows the pipeline's critical path: the longer of two parallel stages, up to the canary", () => {
    // validate 30s, provision 3m (not artifacts 2m, beside it), canary 1m: 4m30s; smoke runs
    // after the canary has served, past the end point.
    expect(stageBudgetWarnings(slos(BUDGETS), pipeline()).map(formatDiagnostic)).toEqual([
      'slos.yaml:6:3: warning: spec.stageBudgets: the budgets on the critical path of pipeline "rollout" (pipeline.yaml:1) add up to 4m30s (validate 30s + provision 3m + canary 1m), more than the threshold of 4m',
    ]);
    expect(stageBudgetWarnings(slos(BUDGETS, "5m"), pipeline())).toEqual([]);
  });

  it("names a budgeted stage the pipeline does not have", () => {
    const found = stageBudgetWarnings(
      slos("    validate: 30s\n    provison: 1m\n"),
      pipeline(),
    ).map(formatDiagnostic);
    expect(found).toEqual([
      'slos.yaml:6:3: warning: spec.stageBudgets.provison: pipeline "rollout" (pipeline.yaml:1) has no stage provison (did you mean "provision"?): its budget is left out of the critical path',
    ]);
  });
});
