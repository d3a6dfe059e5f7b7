import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../spec/diagnostic.js";
import { parsePipelineSpec } from "./parse-pipeline-spec.js";

const VALID = `apiVersion: deployslo/v1
kind: Pipeline
metadata:
  name: demo
spec:
  timeout: 2m
  env:
    PORT: "8000"
  stages:
    - name: validate
      checksum:
        file: model-\${VERSION}.json
        sha256: ${"a".repeat(64)}
    - name: scan
      run: echo scanning
      kind: wait
    - name: start
      needs: [validate, scan]
      run: ./start.sh
      timeout: 30s
      retries: 2
      retryDelay: 0s
    - name: ready
      needs: start
      http:
        url: http://127.0.0.1:\${stages.start.port}/v2/health/ready
        json: { field: ready, equals: "true" }
        interval: 100ms
  serving:
    protocol: open-inference-v2
    url: http://127.0.0.1:\${env.PORT}
    model: iris
    request: { inputs: [{ name: x, shape: [1, 4], datatype: FP32, data: [1, 2, 3, 4] }] }
    interval: 50ms
    timeout: 10s
  onFailure:
    - name: shift-back
      run: ./shift-back.sh
`;

function errors(source: string): string[] {
  return parsePipelineSpec(source, "p.yaml").diagnostics.map(formatDiagnostic);
}

describe("parsePipelineSpec", () => {
  it("reads stages, needs, actions, the probe and onFailure", () => {
    const { pipeline, diagnostics } = parsePipelineSpec(VALID, "p.yaml");
    expect(diagnostics).toEqual([]);
    expect(pipeline?.name).toBe("demo");
    expect(pipeline?.timeoutMs).toBe(120_000);
    expect(pipeline?.stages.map((s) => [s.name, s.needs, s.kind, s.action.type])).toEqual([
      ["validate", [], "active", "checksum"],
      ["scan", [], "wait", "run"],
      ["start", ["validate", "scan"], "active", "run"],
      ["ready", ["start"], "active", "http"],
    ]);
    const start = pipeline?.stages[2];
    expect([start?.timeoutMs, start?.retries, start?.retryDelayMs]).toEqual([30_000, 2, 0]);
    const ready = pipeline?.stages[3]?.action;
    expect(ready?.type === "http" && [ready.status, ready.intervalMs, ready.json?.field]).toEqual([
      200,
      100,
      "ready",
    ]);
    expect(pipeline?.serving?.protocol).toBe("open-inference-v2");
    expect(pipeline?.serving?.expect.source).toBe("${VERSION}");
    expect(pipeline?.serving?.request).toEqual({
      inputs: [{ name: "x", shape: [1, 4], datatype: "FP32", data: [1, 2, 3, 4] }],
    });
    expect(pipeline?.onFailure.map((s) => s.name)).toEqual(["shift-back"]);
  });

  it("reports unknown fields with file:line:column, path and a hint", () => {
    expect(errors(VALID.replace("retries: 2", "retry: 2"))).toEqual([
      'p.yaml:21:7: error: spec.stages[2].retry: unknown field (did you mean "retries"?)',
    ]);
  });

  it("rejects cycles, unknown needs and duplicate names", () => {
    const cyclic = VALID.replace(
      "    - name: scan\n      run: echo scanning",
      "    - name: scan\n      needs: ready\n      run: echo scanning",
    );
    expect(errors(cyclic).join("\n")).toMatch(/spec\.stages: the needs form a cycle: .*→/);
    expect(errors(VALID.replace("needs: start", "needs: strat"))).toEqual([
      'p.yaml:24:14: error: spec.stages[3].needs: needs "strat", which is not a stage of this list (stages: validate, scan, start, ready)',
      'p.yaml:26:9: error: spec.stages[3].http: reads an output of stage "start", which it does not need (add it to needs)',
    ]);
    expect(errors(VALID.replace("name: shift-back", "name: scan"))).toEqual([
      'p.yaml:37:13: error: spec.onFailure[0].name: stage name "scan" is used twice',
    ]);
  });

  it("requires one action per stage and checks each", () => {
    expect(
      errors(
        VALID.replace("run: echo scanning", "run: echo scanning\n      http: { url: http://x }"),
      ),
    ).toEqual(["p.yaml:14:7: error: spec.stages[1]: has run and http: give one action per stage"]);
    expect(errors(VALID.replace(`sha256: ${"a".repeat(64)}`, "sha256: abc"))).toEqual([
      "p.yaml:13:17: error: spec.stages[0].checksum.sha256: must be 64 hexadecimal digits",
    ]);
    expect(errors(VALID.replace("retries: 2", "retries: 11"))).toEqual([
      "p.yaml:21:16: error: spec.stages[2].retries: must be a whole number from 0 to 10, got 11",
    ]);
    expect(errors(VALID.replace("timeout: 30s", "timeout: 30"))).toEqual([
      "p.yaml:20:16: error: spec.stages[2].timeout: 30 has no unit: write 30s, 30m or similar",
    ]);
  });

  it("checks expressions and that a stage reads outputs only of stages it needs", () => {
    expect(errors(VALID.replace("model-${VERSION}", "model-${VERSON}"))).toEqual([
      expect.stringMatching(
        /^p\.yaml:12:15: error: spec\.stages\[0\]\.checksum\.file: \$\{VERSON\} is not an expression/,
      ),
    ]);
    expect(errors(VALID.replace("needs: start", "needs: scan"))).toEqual([
      'p.yaml:26:9: error: spec.stages[3].http: reads an output of stage "start", which it does not need (add it to needs)',
    ]);
  });

  it("checks the probe per protocol", () => {
    expect(errors(VALID.replace("    model: iris\n", ""))).toEqual([
      "p.yaml:30:5: error: spec.serving.model: is required for open-inference-v2: the model name the server serves",
    ]);
    expect(errors(VALID.replace("protocol: open-inference-v2", "protocol: grpc"))).toEqual([
      'p.yaml:30:15: error: spec.serving.protocol: must be one of open-inference-v2, openai, http, got "grpc"',
    ]);
  });

  it("accepts only kind Pipeline, one document", () => {
    expect(errors(VALID.replace("kind: Pipeline", "kind: SLO"))).toEqual([
      'p.yaml:2:7: error: kind: must be Pipeline, got "SLO"',
    ]);
    expect(errors(`${VALID}---\n${VALID}`)[0]).toMatch(/one pipeline per file/);
    expect(errors("")).toEqual(["p.yaml:1:1: error: the file holds no pipeline"]);
  });
});
