import { describe, expect, it } from "vitest";
import { parsePipelineSpec } from "../pipeline/parse-pipeline-spec.js";
import { MAX_YAML_DEPTH, MAX_YAML_VALUES, parseLocatedYaml } from "./located-yaml.js";
import { parseSloSpecs } from "./parse-slo-specs.js";

/** Ten anchors, each a list of ten aliases of the one before: 10^10 values expanded. */
function aliasBomb(): string {
  const lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"];
  for (let i = 1; i < 10; i++) {
    lines.push(
      `a${i}: &a${i} [${Array(10)
        .fill(`*a${i - 1}`)
        .join(", ")}]`,
    );
  }
  return `${lines.join("\n")}\n`;
}

describe("parseLocatedYaml", () => {
  it("keeps aliases: an alias reads as the value of its anchor", () => {
    const [doc] = parseLocatedYaml("base: &b {x: 1}\ncopy: *b\n");
    const root = doc?.root;
    expect(root?.kind).toBe("map");
    if (root?.kind !== "map") return;
    expect(root.entries.get("copy")?.value).toEqual(root.entries.get("base")?.value);
    expect(doc?.syntaxErrors).toEqual([]);
  });

  it("reports an alias inside its own anchor (a: &a [*a]) at its line, not a crash", () => {
    const [doc] = parseLocatedYaml("name: x\na: &a [*a]\n");
    expect(doc?.root).toBeUndefined();
    expect(doc?.syntaxErrors).toEqual([
      { pos: { line: 2, column: 8 }, message: "the alias *a refers to a node that contains it" },
    ]);
  });

  it("refuses an alias expansion of ten levels of ten at the first list that exceeds the bound", () => {
    const [doc] = parseLocatedYaml(aliasBomb());
    expect(doc?.root).toBeUndefined();
    expect(doc?.syntaxErrors).toEqual([
      {
        pos: { line: 5, column: 9 },
        message: `holds more than ${MAX_YAML_VALUES} values once its aliases are expanded`,
      },
    ]);
  });

  it("refuses 20,000 nested flow lists, and nested block lists, before parsing them", () => {
    const deep = `name: x\nobjective: ${"[".repeat(20_000)}${"]".repeat(20_000)}\n`;
    expect(parseLocatedYaml(deep)[0]?.syntaxErrors).toEqual([
      { pos: { line: 2, column: 12 + MAX_YAML_DEPTH }, message: "nested more than 64 levels deep" },
    ]);
    const dashes = `${"- ".repeat(20_000)}x\n`;
    expect(parseLocatedYaml(dashes)[0]?.syntaxErrors[0]?.message).toBe(
      "nested more than 64 levels deep",
    );
  });

  it("accepts nesting up to the bound, and brackets inside quotes and comments", () => {
    const ok = `a: ${"[".repeat(MAX_YAML_DEPTH - 1)}${"]".repeat(MAX_YAML_DEPTH - 1)}\n`;
    expect(parseLocatedYaml(ok)[0]?.syntaxErrors).toEqual([]);
    const quoted = `a: "${"[".repeat(500)}"\nb: '${"{".repeat(500)}'\n# ${"[".repeat(500)}\n`;
    const [doc] = parseLocatedYaml(quoted);
    expect(doc?.syntaxErrors).toEqual([]);
    expect(doc?.root?.kind).toBe("map");
  });

  it("gives SLO and pipeline files a file:line error for each", () => {
    expect(parseSloSpecs("a: &a [*a]\n", "slos.yaml").diagnostics).toMatchObject([
      { severity: "error", file: "slos.yaml", line: 1, message: expect.stringContaining("*a") },
    ]);
    const bomb = parseSloSpecs(aliasBomb(), "slos.yaml").diagnostics;
    expect(bomb).toMatchObject([{ severity: "error", file: "slos.yaml", line: 5 }]);
    const pipeline = parsePipelineSpec(aliasBomb(), "pipeline.yaml");
    expect(JSON.stringify(pipeline)).toContain("values once its aliases are expanded");
  });
});
