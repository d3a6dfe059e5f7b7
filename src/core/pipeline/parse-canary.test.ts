import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../spec/diagnostic.js";
import { parsePipelineSpec } from "./parse-pipeline-spec.js";

/** A pipeline whose one stage after `start` is the given canary block (indented as YAML). */
function pipeline(canary: string, extra = ""): string {
  return `apiVersion: deployslo/v1
kind: Pipeline
metadata:
  name: demo
spec:${extra}
  stages:
    - name: start
      run: ./start.sh
    - name: canary
      needs: start
      timeout: 30s
      canary:
${canary
  .trim()
  .split("\n")
  .map((line) => `        ${line}`)
  .join("\n")}
  serving:
    protocol: open-inference-v2
    url: http://127.0.0.1:8000
    model: iris
    request: { inputs: [] }
`;
}

function errors(source: string): string[] {
  return parsePipelineSpec(source, "p.yaml").diagnostics.map(formatDiagnostic);
}

describe("the canary action", () => {
  it("reads every field, with the switch's upstream as the address probed", () => {
    const parsed = parsePipelineSpec(
      pipeline(`
switch:
  admin: \${env.SWITCH_ADMIN}
  upstream: http://127.0.0.1:\${stages.start.port}
steps: [5, "25%", 100]
requests: 10
interval: 20ms
baseline: http://127.0.0.1:9000
analysis:
  maxErrorRate: 2%
  maxP95: 300ms
  maxP95Ratio: 2
  minP95Difference: 10ms
`),
      "p.yaml",
    );
    expect(parsed.diagnostics).toEqual([]);
    const action = parsed.pipeline?.stages[1]?.action;
    expect(action).toMatchObject({
      type: "canary",
      traffic: { type: "switch" },
      steps: [5, 25, 100],
      requests: 10,
      intervalMs: 20,
      analysis: { maxErrorRate: 0.02, maxP95Ms: 300, maxP95Ratio: 2, minP95DifferenceMs: 10 },
    });
    expect(action?.type === "canary" && action.url.source).toBe(
      "http://127.0.0.1:${stages.start.port}",
    );
    expect(action?.type === "canary" && action.baseline?.source).toBe("http://127.0.0.1:9000");
    expect(parsed.pipeline?.onThresholdExceeded).toBe("continue");
  });

  it("has defaults: 10/50/100%, 20 requests 100 ms apart, 5% errors, 1.5× the old p95", () => {
    const parsed = parsePipelineSpec(
      pipeline(`
run: ./weight.sh
url: http://127.0.0.1:8001
`),
      "p.yaml",
    );
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.pipeline?.stages[1]?.action).toMatchObject({
      type: "canary",
      traffic: { type: "run", command: "./weight.sh" },
      steps: [10, 50, 100],
      requests: 20,
      intervalMs: 100,
      baseline: null,
      analysis: { maxErrorRate: 0.05, maxP95Ms: null, maxP95Ratio: 1.5, minP95DifferenceMs: 20 },
    });
  });

  it.each([
    [
      "both ways to move traffic",
      "run: x\nswitch: { admin: http://a, upstream: http://b }\nurl: http://c",
      "p.yaml:13:9: error: spec.stages[1].canary: give either switch",
    ],
    [
      "a run without the address to probe",
      "run: ./weight.sh",
      "p.yaml:13:9: error: spec.stages[1].canary.url: is required with run",
    ],
    [
      "steps that do not end at 100",
      "run: x\nurl: http://c\nsteps: [10, 50]",
      "p.yaml:15:16: error: spec.stages[1].canary.steps: must end at 100",
    ],
    [
      "steps that go down",
      "run: x\nurl: http://c\nsteps: [50, 10, 100]",
      "p.yaml:15:21: error: spec.stages[1].canary.steps[1]: must be above the step before (50%)",
    ],
    [
      "a step out of range",
      "run: x\nurl: http://c\nsteps: [0, 100]",
      "p.yaml:15:17: error: spec.stages[1].canary.steps[0]: must be a whole percentage 1–100",
    ],
    [
      "a rate written as a bare number above 1",
      "run: x\nurl: http://c\nanalysis: { maxErrorRate: 5 }",
      "p.yaml:15:35: error: spec.stages[1].canary.analysis.maxErrorRate: must be a share from 0% to 100%, got 5 (write 5%)",
    ],
    [
      "a ratio below 1",
      "run: x\nurl: http://c\nanalysis: { maxP95Ratio: 0.5 }",
      "p.yaml:15:34: error: spec.stages[1].canary.analysis.maxP95Ratio: must be a number of at least 1",
    ],
    [
      "no requests",
      "run: x\nurl: http://c\nrequests: 0",
      "p.yaml:15:19: error: spec.stages[1].canary.requests: must be a whole number from 1 to 1000",
    ],
    [
      "an unknown field",
      "run: x\nurl: http://c\nweights: [1]",
      "p.yaml:15:9: error: spec.stages[1].canary.weights:",
    ],
    [
      "more probing than the stage's timeout allows",
      "run: x\nurl: http://c\nrequests: 100\ninterval: 1s",
      "p.yaml:13:9: error: spec.stages[1].canary: its 3 steps of 100 requests 1s apart take at least 4m57s, more than the stage's timeout of 30s",
    ],
  ])("refuses %s with file:line and the field", (_, canary, expected) => {
    const found = errors(pipeline(canary));
    expect(
      found.some((line) => line.startsWith(expected)),
      found.join("\n"),
    ).toBe(true);
  });

  it("checks that the templates read outputs of stages it needs", () => {
    const found = errors(pipeline("run: x\nurl: http://127.0.0.1:${stages.later.port}"));
    expect(found.join("\n")).toMatch(/later/);
  });
});

describe("onThresholdExceeded", () => {
  it("takes rollback or continue", () => {
    const rollback = parsePipelineSpec(
      pipeline("run: x\nurl: http://c", "\n  onThresholdExceeded: rollback"),
      "p.yaml",
    );
    expect(rollback.pipeline?.onThresholdExceeded).toBe("rollback");
    expect(errors(pipeline("run: x\nurl: http://c", "\n  onThresholdExceeded: stop"))).toEqual([
      'p.yaml:6:24: error: spec.onThresholdExceeded: must be continue or rollback, got "stop"',
    ]);
  });
});
