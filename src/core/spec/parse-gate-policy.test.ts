import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "./diagnostic.js";
import { DEFAULT_POLICY, REPORT_ONLY_POLICY } from "./gate-policy.js";
import { parseSloSpecs } from "./parse-slo-specs.js";

function spec(extra: string, indicator = ""): string {
  return `apiVersion: deployslo/v1
kind: SLO
metadata: {name: prod-deploys}
spec:
  selector: {environment: production}
  objective: {threshold: 5m, target: 99%}
${indicator}${extra}`;
}

function parse(text: string) {
  const parsed = parseSloSpecs(text, "slos.yaml");
  return { slo: parsed.slos[0], messages: parsed.diagnostics.map(formatDiagnostic) };
}

describe("spec.policy", () => {
  it("defaults to a freeze when exhausted with hotfixes and rollbacks exempt", () => {
    expect(parse(spec("")).slo?.policy).toEqual(DEFAULT_POLICY);
    expect(DEFAULT_POLICY).toEqual({
      freezeWhenExhausted: true,
      approvalBelow: null,
      approvalAboveBreachProbability: null,
      exempt: ["hotfix", "rollback"],
    });
  });

  it("only reports for a dependency SLO unless told otherwise", () => {
    const dependency = "  indicator: {dependency: registry_pull}\n";
    expect(parse(spec("", dependency)).slo?.policy).toEqual(REPORT_ONLY_POLICY);
    expect(parse(spec("  policy: {freezeWhenExhausted: true}\n", dependency)).slo?.policy).toEqual({
      ...REPORT_ONLY_POLICY,
      freezeWhenExhausted: true,
    });
  });

  it("reads every field, as a percentage or a fraction", () => {
    const text = spec(
      "  policy:\n    freezeWhenExhausted: false\n    approvalBelow: 25%\n    exempt: [rollback]\n",
    );
    expect(parse(text)).toEqual({
      slo: expect.objectContaining({
        policy: {
          freezeWhenExhausted: false,
          approvalBelow: 0.25,
          approvalAboveBreachProbability: null,
          exempt: ["rollback"],
        },
      }),
      messages: [],
    });
    expect(parse(spec("  policy: {approvalBelow: 0.1}\n")).slo?.policy.approvalBelow).toBe(0.1);
    expect(
      parse(spec("  policy: {approvalAboveBreachProbability: 30%}\n")).slo?.policy
        .approvalAboveBreachProbability,
    ).toBe(0.3);
    expect(parse(spec("  policy: {exempt: []}\n")).slo?.policy.exempt).toEqual([]);
  });

  it("says what is wrong and where, with hints", () => {
    expect(parse(spec("  policy: {approvalBelow: 25}\n")).messages).toEqual([
      "slos.yaml:7:27: error: spec.policy.approvalBelow: 25 looks like a percentage: write 25%",
    ]);
    expect(parse(spec("  policy: {approvalBelow: 0%}\n")).messages).toEqual([
      "slos.yaml:7:27: error: spec.policy.approvalBelow: must be above 0% and at most 100%, got 0%",
    ]);
    expect(parse(spec("  policy: {approvalBelow: lots}\n")).messages).toEqual([
      'slos.yaml:7:27: error: spec.policy.approvalBelow: must be a share of the error budget like 25% or 0.25, got "lots"',
    ]);
    expect(parse(spec("  policy: {freezeWhenExhausted: yes please}\n")).messages).toEqual([
      'slos.yaml:7:33: error: spec.policy.freezeWhenExhausted: must be true or false, got "yes please"',
    ]);
    expect(parse(spec("  policy: {exempt: [hotfx, normal]}\n")).messages).toEqual([
      'slos.yaml:7:21: error: spec.policy.exempt[0]: must be one of normal, hotfix, rollback, got "hotfx" (did you mean "hotfix"?)',
      "slos.yaml:7:28: error: spec.policy.exempt[1]: normal changes cannot be exempt from the policy",
    ]);
    expect(parse(spec("  policy: {freezeWhenExausted: true}\n")).messages).toEqual([
      'slos.yaml:7:12: error: spec.policy.freezeWhenExausted: unknown field (did you mean "freezeWhenExhausted"?)',
    ]);
    expect(parse(spec("  policy: {approvalBelow: 25}\n")).slo).toBeUndefined();
  });
});
