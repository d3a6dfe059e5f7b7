import { describe, expect, it } from "vitest";
import { burnFactor, defaultRules, maxBurnRate } from "./alert-policy.js";
import { formatDiagnostic } from "./diagnostic.js";
import { parseSloSpecs } from "./parse-slo-specs.js";

const DAY = 86_400_000;
const HOUR = 3_600_000;

function spec(alerting: string, target = "99%", window = "30d"): string {
  return `apiVersion: deployslo/v1
kind: SLO
metadata: {name: prod}
spec:
  objective: {threshold: 10m, target: ${target}}
  window: ${window}
  alerting:
${alerting
  .split("\n")
  .map((line) => `    ${line}`)
  .join("\n")}
`;
}

function parse(text: string) {
  const { slos, diagnostics } = parseSloSpecs(text, "slos.yaml");
  return { slo: slos[0], messages: diagnostics.map(formatDiagnostic) };
}

describe("burn factors", () => {
  it("derives the Workbook factors for 30 days: 14.4, 6 and 1", () => {
    expect(burnFactor(0.02, 30 * DAY, HOUR)).toBe(14.4);
    expect(burnFactor(0.05, 30 * DAY, 6 * HOUR)).toBe(6);
    expect(burnFactor(0.1, 30 * DAY, 3 * DAY)).toBe(1);
  });

  it("scales the default windows with the SLO window and keeps the factors", () => {
    const rules = defaultRules({ kind: "rolling", ms: 7 * DAY }, 100);
    expect(rules.map((r) => [r.name, r.severity, r.longWindowMs, r.shortWindowMs])).toEqual([
      ["fast-burn", "page", 14 * 60_000, 70_000],
      ["medium-burn", "page", 84 * 60_000, 7 * 60_000],
      ["slow-burn", "ticket", 16.8 * HOUR, 84 * 60_000],
    ]);
    expect(rules.map((r) => r.factor)).toEqual([14.4, 6, 1]);
  });

  it("caps a default factor at 4/5 of the highest burn the target allows", () => {
    const max = maxBurnRate({ units: 90n, scale: 100n });
    expect(max).toBe(10);
    expect(defaultRules({ kind: "rolling", ms: 30 * DAY }, max).map((r) => r.factor)).toEqual([
      8, 6, 1,
    ]);
  });
});

describe("spec.alerting", () => {
  it("reads rules, targets, labels, runbook, low-volume and forecast settings", () => {
    const { slo, messages } = parse(
      spec(`rules:
  - {name: fast, severity: page, longWindow: 1h, shortWindow: 5m, budgetFraction: 2%, for: 10m}
  - {name: slow, severity: ticket, longWindow: 3d, shortWindow: 6h, budgetFraction: 0.1, keepFiringFor: 0s}
notify: [oncall, ml-slack]
labels: {team: ml-platform}
runbookUrl: https://runbooks.example/deploys
lowVolume: {minBadAttempts: 4, minAttempts: 6}
forecast: {horizon: 5d}
group: false`),
    );
    expect(messages).toEqual([]);
    expect(slo?.alerting).toEqual({
      rules: [
        {
          name: "fast",
          severity: "page",
          longWindowMs: HOUR,
          shortWindowMs: 300_000,
          budgetFraction: 0.02,
          forMs: 600_000,
          // Hysteresis by default: the short window.
          keepFiringForMs: 300_000,
          factor: 14.4,
        },
        {
          name: "slow",
          severity: "ticket",
          longWindowMs: 3 * DAY,
          shortWindowMs: 6 * HOUR,
          budgetFraction: 0.1,
          forMs: 0,
          keepFiringForMs: 0,
          factor: 1,
        },
      ],
      defaultRules: false,
      notify: ["oncall", "ml-slack"],
      labels: { team: "ml-platform" },
      runbookUrl: "https://runbooks.example/deploys",
      lowVolume: { minBadAttempts: 4, minAttempts: 6 },
      forecast: { horizonMs: 5 * DAY },
      baseline: null,
      group: false,
    });
  });

  it("uses the derived defaults when there is no alerting section", () => {
    const { slo } = parse(spec("{}").replace("  alerting:\n    {}\n", ""));
    expect(slo?.alerting.defaultRules).toBe(true);
    expect(slo?.alerting.rules.map((r) => r.factor)).toEqual([14.4, 6, 1]);
    expect(slo?.alerting.lowVolume).toEqual({ minBadAttempts: 3, minAttempts: 3 });
    expect(slo?.alerting.forecast).toEqual({ horizonMs: 3 * DAY });
  });

  it("turns low-volume guards and the forecast ticket off with false", () => {
    const { slo } = parse(spec("lowVolume: false\nforecast: false"));
    expect(slo?.alerting.lowVolume).toEqual({ minBadAttempts: 1, minAttempts: 0 });
    expect(slo?.alerting.forecast).toEqual({ horizonMs: null });
  });

  it.each([
    [
      "rules:\n  - {name: fast, severity: page, longWindow: 1h, shortWindow: 5m, budgetFraction: 2%}",
      "90%",
      "error: spec.alerting.rules[0].budgetFraction: this rule can never fire: it needs a burn rate of 14.4 (budgetFraction × window / longWindow) but with target 90% the highest possible is 10 (every attempt bad); lower budgetFraction or lengthen longWindow",
    ],
    [
      "rules:\n  - {name: fast, severity: sms, longWindow: 1h, shortWindow: 5m, budgetFraction: 2%}",
      "99%",
      "spec.alerting.rules[0].severity: must be page or ticket",
    ],
    [
      "rules:\n  - {name: fast, severity: page, longWindow: 1h, shortWindow: 2h, budgetFraction: 2%}",
      "99%",
      "spec.alerting.rules[0].shortWindow: must be shorter than longWindow",
    ],
    [
      "rules:\n  - {name: fast, severity: page, longWindow: 31d, shortWindow: 2h, budgetFraction: 2%}",
      "99%",
      "spec.alerting.rules[0].longWindow: must not be longer than the SLO window",
    ],
    [
      "rules:\n  - {name: fast, severity: page, longWindow: 1h, shortWindow: 5m, budgetFraction: 200%}",
      "99%",
      "budgetFraction: must be a share of the error budget above 0 and at most 100%",
    ],
    [
      "rules:\n  - {name: fast, severity: page, longWindow: 1h, shortWindow: 5m}",
      "99%",
      "spec.alerting.rules[0].budgetFraction: is required (e.g. 2%)",
    ],
    [
      "rules:\n  - {name: fast, severity: page, long: 1h, longWindow: 1h, shortWindow: 5m, budgetFraction: 2%}",
      "99%",
      "error: spec.alerting.rules[0].long: unknown field",
    ],
    [
      "rules:\n  - {name: a, severity: page, longWindow: 1h, shortWindow: 5m, budgetFraction: 2%}\n  - {name: a, severity: page, longWindow: 2h, shortWindow: 5m, budgetFraction: 2%}",
      "99%",
      'rule name "a" is used twice',
    ],
    ["notify: oncall", "99%", "spec.alerting.notify: must be a list of notification target names"],
    ["runbookUrl: wiki/deploys", "99%", "spec.alerting.runbookUrl: must be an http(s) URL"],
    ["group: maybe", "99%", "spec.alerting.group: must be true or false"],
    [
      "rules:\n  - {name: f, severity: page, longWindow: 1h, shortWindow: 5m, budgetFraction: 2%, keepFiringFor: soon}",
      "99%",
      "spec.alerting.rules[0].keepFiringFor:",
    ],
    ["lowVolume: {minBadAttempts: 0}", "99%", "minBadAttempts: must be a whole number from 1"],
    [
      "lowVolume: {minBadAttempts: 5, minAttempts: 2}",
      "99%",
      "spec.alerting.lowVolume.minAttempts: must be 0 or at least minBadAttempts (5)",
    ],
    ["forecast: {horizon: 0s}", "99%", "spec.alerting.forecast.horizon: must be longer than 0"],
    [
      "baseline: {factor: 2}",
      "99%",
      "spec.alerting.baseline: applies only to SLOs with indicator: {dependency: NAME}",
    ],
  ])("reports %s (target %s)", (alerting, target, expected) => {
    const { slo, messages } = parse(spec(alerting, target));
    expect(slo).toBeUndefined();
    expect(messages.some((m) => m.includes(expected))).toBe(true);
  });
});
