import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parsePipelineSpec } from "../../src/core/pipeline/parse-pipeline-spec.js";

describe("pipeline examples", () => {
  it("docs/pipelines.md's example is a valid pipeline", () => {
    const doc = readFileSync("docs/pipelines.md", "utf8");
    const block = /## The pipeline file\n\n```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(block, "docs/pipelines.md lost its example").toBeDefined();
    const parsed = parsePipelineSpec(block ?? "", "docs/pipelines.md");
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.pipeline?.stages.map((s) => s.name)).toEqual([
      "checksum",
      "validate-format",
      "start-server",
      "wait-ready",
      "approval",
    ]);
  });

  it("examples/local-model/pipeline.yaml is valid", () => {
    const file = "examples/local-model/pipeline.yaml";
    const parsed = parsePipelineSpec(readFileSync(file, "utf8"), file);
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.pipeline?.onFailure.map((s) => s.name)).toEqual([
      "shift-back",
      "stop-new-server",
    ]);
  });
});
