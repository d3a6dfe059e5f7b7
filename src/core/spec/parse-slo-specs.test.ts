import { describe, expect, it } from "vitest";
import { defaultAlertPolicy } from "./alert-policy.js";
import { formatDiagnostic } from "./diagnostic.js";
import { DEFAULT_POLICY } from "./gate-policy.js";
import { checkSloSet, parseSloSpecs } from "./parse-slo-specs.js";

const valid = `apiVersion: deployslo/v1
kind: SLO
metadata:
  name: prod-deploys
  description: Production promotions are serving within 5 minutes
spec:
  selector:
    environment: production
    model: "fraud-*"
    labels: {team: risk}
  objective:
    threshold: 5m
    target: 99%
  budgeting: occurrences
  window: 30d
`;

function messages(text: string): string[] {
  return parseSloSpecs(text, "slos.yaml").diagnostics.map(formatDiagnostic);
}

describe("parseSloSpecs", () => {
  it("reads the example spec", () => {
    const { slos, diagnostics } = parseSloSpecs(valid, "slos.yaml");
    expect(diagnostics).toEqual([]);
    expect(slos).toEqual([
      {
        name: "prod-deploys",
        description: "Production promotions are serving within 5 minutes",
        labels: {},
        selector: { environment: "production", model: "fraud-*", labels: { team: "risk" } },
        indicator: { kind: "deployment" },
        objective: {
          thresholdMs: 300_000,
          target: { units: 99n, scale: 10_000n / 100n },
          percentile: null,
        },
        budgeting: "occurrences",
        window: { kind: "rolling", ms: 2_592_000_000 },
        alerting: defaultAlertPolicy(
          { kind: "rolling", ms: 2_592_000_000 },
          { units: 99n, scale: 100n },
        ),
        policy: DEFAULT_POLICY,
        // Ten times the 5 m threshold, within [1 h, 24 h].
        inProgressTimeoutMs: 3_600_000,
        source: { file: "slos.yaml", line: 1 },
      },
    ]);
  });

  it("reads spec.inProgressTimeout", () => {
    const { slos } = parseSloSpecs(`${valid}  inProgressTimeout: 36h\n`, "slos.yaml");
    expect(slos[0]?.inProgressTimeoutMs).toBe(36 * 3_600_000);
  });

  it("accepts every target and window form", () => {
    const spec = (objective: string, window: string) =>
      parseSloSpecs(
        `apiVersion: deployslo/v1\nkind: SLO\nmetadata: {name: a}\nspec:\n  objective: ${objective}\n  window: ${window}\n`,
        "f.yaml",
      );
    expect(spec("{threshold: 2m30s, target: 0.99}", "{rolling: 7d}").slos[0]?.objective).toEqual({
      thresholdMs: 150_000,
      target: { units: 99n, scale: 100n },
      percentile: null,
    });
    expect(spec("{threshold: 1h, percentile: 95}", "{calendar: month}").slos[0]).toMatchObject({
      objective: { target: { units: 95n, scale: 100n }, percentile: 95 },
      window: { kind: "calendar", unit: "month" },
    });
    expect(
      spec('{threshold: 1h, target: "99.95%"}', "{calendar: week}").slos[0]?.objective.target,
    ).toEqual({
      units: 9995n,
      scale: 1_000_000n / 100n,
    });
  });

  it("reads several documents and a stage indicator", () => {
    const text = `${valid}---\n${valid.replace("prod-deploys", "provision").replace("  window: 30d", "  window: 30d\n  indicator: {stage: provision}")}`;
    const { slos, diagnostics } = parseSloSpecs(text, "slos.yaml");
    expect(diagnostics).toEqual([]);
    expect(slos.map((s) => [s.name, s.indicator, s.source.line])).toEqual([
      ["prod-deploys", { kind: "deployment" }, 1],
      ["provision", { kind: "stage", stage: "provision" }, 17],
    ]);
  });

  it("reads an indicator from and to stages, and a selector on attributes", () => {
    const text = valid
      .replace(
        "    labels: {team: risk}",
        "    labels: {team: risk}\n    attributes: {coldStart: true}",
      )
      .replace(
        "  window: 30d",
        "  window: 30d\n  indicator:\n    from: {stage: approval, at: end}\n    to: {stage: shift-traffic, at: end}",
      );
    const { slos, diagnostics } = parseSloSpecs(text, "slos.yaml");
    expect(diagnostics).toEqual([]);
    expect(slos[0]?.indicator).toEqual({
      kind: "span",
      from: { stage: "approval", at: "end" },
      to: { stage: "shift-traffic", at: "end" },
    });
    expect(slos[0]?.selector.attributes).toEqual({ coldStart: "true" });
    const onlyFrom = valid.replace(
      "  window: 30d",
      "  window: 30d\n  indicator: {from: {stage: approval, at: end}}",
    );
    expect(parseSloSpecs(onlyFrom, "slos.yaml").slos[0]?.indicator).toEqual({
      kind: "span",
      from: { stage: "approval", at: "end" },
      to: null,
    });
  });

  it.each([
    [
      "  indicator: {from: {stage: approval}}",
      "slos.yaml:16:21: error: spec.indicator.from.at: is required: start or end of the stage ({stage: approval, at: end})",
    ],
    [
      "  indicator: {to: {stage: canary, at: finish}}",
      'slos.yaml:16:39: error: spec.indicator.to.at: must be start or end, got "finish"',
    ],
    [
      "  indicator: {from: approval}",
      'slos.yaml:16:21: error: spec.indicator.from: must be a mapping like {stage: approval, at: end}, got "approval" (omit from to measure from the promote request (startedAt))',
    ],
    [
      "  indicator: {to: {at: end}}",
      "slos.yaml:16:19: error: spec.indicator.to.stage: is required: {stage: shift-traffic, at: end}",
    ],
    [
      "  indicator: {stage: provision, from: {stage: approval, at: end}}",
      "slos.yaml:16:33: error: spec.indicator: from and to measure the deployment between other points: give them without stage or dependency",
    ],
    [
      "  indicator: {from: {stage: canary, at: end}, to: {stage: canary, at: start}}",
      "slos.yaml:16:51: error: spec.indicator.to: must come after from (canary end): measure from canary start to canary end, or use indicator: {stage: canary}",
    ],
    [
      "  indicator: {from: {stage: approval, at: end, when: x}}",
      "slos.yaml:16:48: error: spec.indicator.from.when: unknown field (known fields: stage, at)",
    ],
  ])("points at %s", (line, expected) => {
    expect(messages(valid.replace("  window: 30d", `  window: 30d\n${line}`))).toEqual([expected]);
  });

  it("points at an attribute selector that is no mapping", () => {
    const text = valid.replace("    labels: {team: risk}", "    attributes: [cold]");
    expect(messages(text)).toEqual([
      "slos.yaml:10:17: error: spec.selector.attributes: must be a mapping of names to strings, got a list",
    ]);
  });

  it("points at the target written as a bare percentage", () => {
    expect(messages(valid.replace("target: 99%", "target: 99"))).toEqual([
      "slos.yaml:13:13: error: spec.objective.target: target 99 looks like a percentage: write 99%",
    ]);
  });

  it.each([
    [
      "target: 99%",
      "target: 100%",
      "spec.objective.target: a target of 100% (100% or more) leaves no error budget",
    ],
    ["target: 99%", "target: 1", "a target of 1 (100% or more) leaves no error budget"],
    ["target: 99%", "target: 0", "a target of 0 would count nothing"],
    [
      "target: 99%",
      "target: lots",
      'must be a fraction like 0.99 or a percentage like 99%, got "lots"',
    ],
    ["target: 99%", "percentile: 100", "must be a whole percentile from 1 to 99"],
    [
      "target: 99%",
      "target: 99%\n    percentile: 95",
      "give either target or percentile, not both",
    ],
    ["target: 99%", "", "spec.objective.target: is required"],
    ["threshold: 5m", "threshold: 0s", "a threshold of 0 makes every deployment bad"],
    ["threshold: 5m", "threshold: 300", "300 has no unit: write 300s, 300m or similar"],
    [
      "window: 30d",
      "window: 30d\n  inProgressTimeout: 0s",
      "spec.inProgressTimeout: a timeout of 0 ends every attempt at once",
    ],
    [
      "window: 30d",
      "window: 30d\n  inProgressTimeout: 4m",
      "spec.inProgressTimeout: must be longer than the threshold",
    ],
    ["window: 30d", "window: 30d\n  inProgresTimeout: 4h", 'did you mean "inProgressTimeout"'],
    ["threshold: 5m", "threshold: 5 minutes", "is not a duration"],
    ["threshold: 5m", "threshold: 31d", "the threshold must be shorter than the window"],
    ["window: 30d", "window: {calendar: year}", "spec.window.calendar: must be month or week"],
    ["window: 30d", "window: 30m", "a rolling window must be at least 1h"],
    [
      "window: 30d",
      "window: {rolling: 7d, calendar: week}",
      "give either rolling or calendar, not both",
    ],
    [
      "budgeting: occurrences",
      "budgeting: time",
      "spec.budgeting: must be occurrences or excess-time",
    ],
    [
      "budgeting: occurrences",
      "budgetting: occurrences",
      'spec.budgetting: unknown field (did you mean "budgeting"?)',
    ],
    [
      "name: prod-deploys",
      "name: Prod_Deploys",
      "must be 1–63 lowercase letters, digits or dashes",
    ],
    ["kind: SLO", "kind: Alert", "kind: must be SLO"],
    [
      "kind: SLO",
      "kind: Slo",
      'kind: must be SLO or NotificationTarget, got "Slo" (did you mean "SLO"?)',
    ],
    ["kind: SLO", "kind: Pipeline", "kind: a Pipeline goes in a file of its own, not with SLOs"],
    ["  window: 30d", "  window: 7", "spec.window: 7 has no unit: write 7h, 7d or 7w"],
    ["  window: 30d", '  window: "90"', "spec.window: 90 has no unit: write 90m, 90h or 90d"],
    ["apiVersion: deployslo/v1", "apiVersion: v1", "apiVersion: must be deployslo/v1"],
    ["    labels: {team: risk}", "    labels: [risk]", "spec.selector.labels: must be a mapping"],
    [
      "  window: 30d",
      "  window: 30d\n  indicator: {stages: x}",
      'spec.indicator.stages: unknown field (did you mean "stage"?)',
    ],
    [
      "  window: 30d",
      "  window: 30d\n  alerting: {runbook: x}",
      "spec.alerting.runbook: unknown field",
    ],
    ["objective:", "objective: 5m\n  ignored:", "spec.objective: must be a mapping"],
  ])("reports %s → %s", (from, to, expected) => {
    const found = messages(valid.replace(from, to));
    expect(found.some((m) => m.includes(expected))).toBe(true);
  });

  it("warns without failing about unusual but valid choices", () => {
    const { slos, diagnostics } = parseSloSpecs(
      valid.replace("target: 99%", "target: 40%").replace("window: 30d", "window: 12h"),
      "s.yaml",
    );
    expect(slos).toHaveLength(1);
    expect(diagnostics.map((d) => [d.severity, d.path])).toEqual([
      ["warning", "spec.objective.target"],
      ["warning", "spec.window"],
    ]);
  });

  it("reports YAML syntax errors with their position and yields no SLO", () => {
    const { slos, diagnostics } = parseSloSpecs(
      "apiVersion: deployslo/v1\nkind: [SLO\n",
      "bad.yaml",
    );
    expect(slos).toEqual([]);
    expect(diagnostics[0]).toMatchObject({ severity: "error", file: "bad.yaml" });
    expect(diagnostics[0]?.line).toBeGreaterThanOrEqual(2);
    expect(diagnostics[0]?.message).toMatch(/^YAML syntax: /);
  });

  it("yields no SLO for a document with errors but keeps the valid ones", () => {
    const text = `${valid}---\n${valid.replace("prod-deploys", "broken").replace("target: 99%", "target: 99")}`;
    const { slos } = parseSloSpecs(text, "slos.yaml");
    expect(slos.map((s) => s.name)).toEqual(["prod-deploys"]);
  });

  it("ignores empty documents", () => {
    expect(parseSloSpecs(`---\n${valid}---\n`, "s.yaml").slos).toHaveLength(1);
  });

  it("skips NotificationTarget documents, which have their own parser", () => {
    const target =
      "apiVersion: deployslo/v1\nkind: NotificationTarget\nmetadata: {name: oncall}\nspec: {type: webhook}\n";
    const { slos, diagnostics } = parseSloSpecs(`${target}---\n${valid}`, "s.yaml");
    expect(diagnostics).toEqual([]);
    expect(slos.map((s) => s.name)).toEqual(["prod-deploys"]);
  });

  it("finds duplicate names across files", () => {
    const a = parseSloSpecs(valid, "a.yaml").slos;
    const b = parseSloSpecs(valid, "b.yaml").slos;
    expect(checkSloSet([...a, ...b]).map(formatDiagnostic)).toEqual([
      'b.yaml:1:1: error: metadata.name: SLO name "prod-deploys" is already used at a.yaml:1',
    ]);
  });
});
