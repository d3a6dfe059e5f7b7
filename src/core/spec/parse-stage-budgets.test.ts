import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "./diagnostic.js";
import { parseSloSpecs } from "./parse-slo-specs.js";

const head = `apiVersion: deployslo/v1
kind: SLO
metadata:
  name: staging-deploys
spec:
  objective:
    threshold: 10m
    target: 90%
`;

function parse(tail: string) {
  const { slos, diagnostics } = parseSloSpecs(`${head}${tail}`, "slos.yaml");
  return { slos, messages: diagnostics.map(formatDiagnostic) };
}

describe("spec.stageBudgets", () => {
  it("keeps each stage's share of the threshold in the order written, and where it is", () => {
    const { slos, messages } = parse(
      "  stageBudgets:\n    security-scan: 90s\n    validate: 1m\n    stage-artifacts: 2m30s\n",
    );
    expect(messages).toEqual([]);
    expect(slos[0]?.stageBudgets).toEqual([
      { stage: "security-scan", budgetMs: 90_000 },
      { stage: "validate", budgetMs: 60_000 },
      { stage: "stage-artifacts", budgetMs: 150_000 },
    ]);
    expect(slos[0]?.source).toEqual({
      file: "slos.yaml",
      line: 1,
      stageBudgetsAt: { line: 9, column: 3 },
    });
  });

  it("is absent when the spec gives none, or an empty mapping", () => {
    expect(parse("").slos[0]?.stageBudgets).toBeUndefined();
    expect(parse("  stageBudgets: {}\n").slos[0]?.stageBudgets).toBeUndefined();
  });

  it("says what is wrong with each bad value, at file:line:column", () => {
    const { slos, messages } = parse(
      [
        "  stageBudgets:",
        "    a: -5s",
        "    b: soon",
        "    c: 90",
        "    d: 0s",
        "    e: [1m]",
        "    f: 1m",
        "",
      ].join("\n"),
    );
    expect(slos).toEqual([]);
    expect(messages).toEqual([
      "slos.yaml:10:8: error: spec.stageBudgets.a: a budget cannot be negative, got -5s: give a duration like 90s",
      'slos.yaml:11:8: error: spec.stageBudgets.b: "soon" is not a duration (use units ms s m h d w, e.g. 5m or 2m30s)',
      "slos.yaml:12:8: error: spec.stageBudgets.c: 90 has no unit: write 90s, 90m or similar",
      "slos.yaml:13:8: error: spec.stageBudgets.d: a budget of 0 is overrun by every run of the stage: give a positive duration",
      "slos.yaml:14:8: error: spec.stageBudgets.e: must be a duration like 90s or 2m30s, got a list",
    ]);
  });

  it("must be a mapping, and only on an SLO of whole deployments", () => {
    expect(parse("  stageBudgets: [validate]\n").messages).toEqual([
      "slos.yaml:9:17: error: spec.stageBudgets: must be a mapping of stage names to durations (e.g. security-scan: 90s), got a list",
    ]);
    expect(
      parse("  indicator: { stage: provision }\n  stageBudgets: { provision: 1m }\n").messages,
    ).toEqual([
      "slos.yaml:10:17: error: spec.stageBudgets: stage budgets split a whole deployment's threshold (promote request to first inference); this SLO measures the stage provision",
    ]);
  });

  it("suggests the field's name when it is misspelt", () => {
    expect(parse("  stageBudget: { validate: 1m }\n").messages[0]).toContain(
      'spec.stageBudget: unknown field (did you mean "stageBudgets"?)',
    );
  });
});
