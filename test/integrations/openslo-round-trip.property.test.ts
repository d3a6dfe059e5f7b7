import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { parseSloSpecs } from "../../src/core/spec/parse-slo-specs.js";
import type { Slo } from "../../src/core/spec/slo.js";
import { exportOpenSlo } from "../../src/integrations/openslo/export-openslo.js";
import { importOpenSlo } from "../../src/integrations/openslo/import-openslo.js";

const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}[a-z0-9]$/);
const text = fc
  .string({ minLength: 1, maxLength: 20 })
  .filter((s) => s.trim() === s && s.length > 0);
const labels = fc.dictionary(fc.stringMatching(/^[a-z][a-z_]{0,8}$/), text, { maxKeys: 3 });
const duration = fc.constantFrom(
  "30s",
  "45s",
  "1m",
  "90s",
  "2m30s",
  "5m",
  "10m",
  "30m",
  "1h",
  "1h30m",
  "6h",
  "1d",
);
const longDuration = fc.constantFrom("1h", "1h30s", "2h", "6h", "1d", "3d");
const fraction = fc.constantFrom("1%", "2%", "0.5%", "5%", "10%", 0.03, 0.125);

const rule = fc.record(
  {
    name,
    severity: fc.constantFrom("page", "ticket"),
    longWindow: longDuration,
    shortWindow: fc.constantFrom("30s", "5m", "10m", "30m"),
    budgetFraction: fraction,
    for: fc.constantFrom("0s", "45s", "5m", "1h"),
  },
  { requiredKeys: ["name", "severity", "longWindow", "shortWindow", "budgetFraction"] },
);

const alerting = fc.record(
  {
    rules: fc.uniqueArray(rule, { maxLength: 3, selector: (r) => r.name }),
    notify: fc.array(name, { maxLength: 2 }),
    labels,
    runbookUrl: fc.constantFrom("https://runbooks.example.com/a", "http://x.example/b?c=1"),
    lowVolume: fc.oneof(
      fc.constant(false),
      fc.record({
        minBadAttempts: fc.integer({ min: 1, max: 4 }),
        minAttempts: fc.integer({ min: 4, max: 9 }),
      }),
    ),
    forecast: fc.oneof(
      fc.constant(false),
      fc.record({ horizon: fc.constantFrom("1d", "2d", "36h") }),
    ),
  },
  { requiredKeys: [] },
);

const spec = fc
  .record({
    name,
    description: fc.option(text, { nil: undefined }),
    labels: fc.option(labels, { nil: undefined }),
    selector: fc.record(
      {
        environment: fc.constantFrom("production", "stag*"),
        model: fc.constantFrom("fraud-*", "m?"),
        labels,
        attributes: fc.dictionary(fc.constantFrom("coldStart", "hardware"), text, { maxKeys: 2 }),
      },
      { requiredKeys: [] },
    ),
    indicator: fc.constantFrom(
      undefined,
      { stage: "provision" },
      { dependency: "registry_pull" },
      { from: { stage: "approval", at: "end" } },
      { to: { stage: "shift-traffic", at: "end" } },
      { from: { stage: "canary", at: "start" }, to: { stage: "canary", at: "end" } },
    ),
    threshold: duration,
    target: fc.oneof(
      fc.constantFrom("99%", "99.95%", "0.9", "0.999", "95.5%", "0.523456789012345678901"),
      fc.integer({ min: 50, max: 99 }).map((p) => ({ percentile: p })),
    ),
    budgeting: fc.constantFrom(undefined, "occurrences", "excess-time"),
    window: fc.constantFrom(
      undefined,
      "30d",
      "28d",
      "7d",
      "2w",
      "1d",
      "1h30m30s",
      { calendar: "month" },
      { calendar: "week" },
    ),
    inProgressTimeout: fc.constantFrom(undefined, "3h", "1d"),
    alerting: fc.option(alerting, { nil: undefined }),
    baseline: fc.constantFrom(undefined, false, {
      factor: 2,
      recent: "12h",
      baseline: "7d",
      minSamples: 5,
    }),
    stageBudgets: fc.option(
      fc.uniqueArray(
        fc.tuple(fc.constantFrom("security-scan", "validate", "provision", "canary"), duration),
        { minLength: 1, maxLength: 4, selector: ([stage]) => stage },
      ),
      { nil: undefined },
    ),
    policy: fc.option(
      fc.record(
        {
          freezeWhenExhausted: fc.boolean(),
          approvalBelow: fc.constantFrom("25%", 0.5, "10%"),
          approvalAboveBreachProbability: fc.constantFrom("30%", 0.6),
          exempt: fc.subarray(["hotfix", "rollback"]),
        },
        { requiredKeys: [] },
      ),
      { nil: undefined },
    ),
  })
  .map((s) => {
    const objective =
      typeof s.target === "string"
        ? { threshold: s.threshold, target: s.target }
        : { threshold: s.threshold, ...s.target };
    const alertingField =
      s.indicator !== undefined && "dependency" in s.indicator && s.baseline !== undefined
        ? { ...(s.alerting ?? {}), baseline: s.baseline }
        : s.alerting;
    return {
      apiVersion: "deployslo/v1",
      kind: "SLO",
      metadata: { name: s.name, description: s.description, labels: s.labels },
      spec: {
        selector: s.selector,
        indicator: s.indicator,
        objective,
        budgeting: s.budgeting,
        window: s.window,
        inProgressTimeout: s.inProgressTimeout,
        alerting: alertingField,
        policy: s.policy,
        // Budgets split a whole deployment's threshold: only on deployment SLOs.
        stageBudgets:
          s.indicator === undefined && s.stageBudgets !== undefined
            ? Object.fromEntries(s.stageBudgets)
            : undefined,
      },
    };
  });

function normalised(slo: Slo): unknown {
  const { source: _source, objective, ...rest } = slo;
  let { units, scale } = objective.target;
  while (scale > 1n && units % 10n === 0n) {
    units /= 10n;
    scale /= 10n;
  }
  return { ...rest, objective: { ...objective, target: { units, scale } } };
}

describe("OpenSLO round trip, for generated specs", () => {
  it("export then import gives back an equivalent spec, with no finding of its own", () => {
    let valid = 0;
    fc.assert(
      fc.property(spec, (doc) => {
        const source = stringify(doc);
        const original = parseSloSpecs(source, "generated.yaml");
        if (original.slos.length !== 1) return;
        valid++;
        const imported = importOpenSlo(exportOpenSlo(original.slos), "exported.yaml");
        const findings = (list: readonly { severity: string; path: string; message: string }[]) =>
          list.map((d) => `${d.severity} ${d.path}: ${d.message}`);
        expect(findings(imported.diagnostics)).toEqual(findings(original.diagnostics));
        const back = parseSloSpecs(imported.yaml, "imported.yaml");
        expect(back.slos.map(normalised)).toEqual(original.slos.map(normalised));
      }),
      { numRuns: 300 },
    );
    // Enough of the generated specs are valid for the property to say something.
    expect(valid).toBeGreaterThan(100);
  });
});
