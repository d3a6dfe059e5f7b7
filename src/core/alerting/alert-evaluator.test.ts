import { describe, expect, it } from "vitest";
import { DAY, HOUR, MINUTE, makeAttempt, makeSlo, T0 } from "../../../test/support/make-attempt.js";
import type { Attempt } from "../attempt/attempt.js";
import { VerdictSeries } from "../evaluation/verdict-series.js";
import type { Slo } from "../spec/slo.js";
import {
  AlertEvaluator,
  alertDefinitions,
  BASELINE_ALERT,
  FORECAST_ALERT,
  slosAtRisk,
} from "./alert-evaluator.js";
import type { AlertState } from "./step-alert.js";

const attemptAt = (start: number, minutes: number): Attempt =>
  makeAttempt({ startedAt: start, servingAt: start + minutes * MINUTE });

function conditionsAt(slo: Slo, attempts: readonly Attempt[], at: number) {
  return new AlertEvaluator(slo, VerdictSeries.of(slo, attempts, at)).conditions(at);
}

describe("AlertEvaluator", () => {
  const slo = makeSlo({ thresholdMs: 10 * MINUTE, targetPercent: "95" });
  // A sparse stream: one attempt every 8 hours for 20 days, all good.
  const healthy = Array.from({ length: 60 }, (_, i) => attemptAt(T0 + i * 8 * HOUR, 4));

  it("lists the rules, then the forecast ticket, then (dependency SLOs) the baseline ticket", () => {
    expect(alertDefinitions(slo).map((d) => d.alert)).toEqual([
      "fast-burn",
      "medium-burn",
      "slow-burn",
      FORECAST_ALERT,
    ]);
    const dependency = makeSlo({ indicator: { kind: "dependency", dependency: "registry_pull" } });
    expect(alertDefinitions(dependency).at(-1)?.alert).toBe(BASELINE_ALERT);
  });

  it("does not page on one or two slow attempts of a sparse stream, and pages on the third", () => {
    const start = T0 + 60 * 8 * HOUR;
    const slow = [0, 1, 2].map((i) => attemptAt(start + i * 8 * HOUR, 20));
    for (const n of [1, 2]) {
      const at = start + (n - 1) * 8 * HOUR + 11 * MINUTE;
      expect(conditionsAt(slo, [...healthy, ...slow.slice(0, n)], at).get("fast-burn")).toBe(false);
    }
    const at = start + 16 * HOUR + 11 * MINUTE;
    const third = conditionsAt(slo, [...healthy, ...slow], at);
    expect(third.get("fast-burn")).toBe(true);
    expect(third.get("medium-burn")).toBe(true);
  });

  it("without the low-volume guards pages on a single slow attempt (the plain Workbook rules)", () => {
    const plain: Slo = {
      ...slo,
      alerting: { ...slo.alerting, lowVolume: { minBadAttempts: 1, minAttempts: 0 } },
    };
    const start = T0 + 60 * 8 * HOUR;
    const at = start + 11 * MINUTE;
    expect(conditionsAt(plain, [...healthy, attemptAt(start, 20)], at).get("fast-burn")).toBe(true);
  });

  it("goes firing then resolved through evaluate, carrying states between instants", () => {
    const start = T0 + 60 * 8 * HOUR;
    const attempts = [
      ...healthy,
      ...[0, 1, 2].map((i) => attemptAt(start + i * 8 * HOUR, 20)),
      ...[24, 30, 36].map((h) => attemptAt(start + h * HOUR, 3)),
    ];
    const evaluator = new AlertEvaluator(slo, VerdictSeries.of(slo, attempts, start + 2 * DAY));
    let states = new Map<string, AlertState>();
    const seen: string[] = [];
    for (let at = start; at <= start + 2 * DAY; at += 5 * MINUTE) {
      const step = evaluator.evaluate(at, states);
      states = new Map(step.states.map((s) => [s.alert, s]));
      for (const t of step.transitions)
        if (t.severity === "page") seen.push(`${t.alert}:${t.state}@${(t.at - start) / HOUR}h`);
    }
    // Hysteresis: the first good attempt (24h) stops the condition; the third resolves.
    expect(seen.map((s) => s.replace(/@.*/, ""))).toEqual([
      "fast-burn:firing",
      "medium-burn:firing",
      "fast-burn:resolved",
      "medium-burn:resolved",
    ]);
    const resolvedAt = seen.filter((s) => s.includes("resolved")).map((s) => s.replace(/.*@/, ""));
    expect(resolvedAt.map((h) => Number.parseFloat(h))).toEqual([36 + 5 / 60, 36 + 5 / 60]);
  });

  it("keeps a page firing through a lull of a partial regression, and resolves after it", () => {
    // Busy stream (every 10 minutes), one attempt in eight bad for a day: the short window
    // often holds no bad attempt, yet the page stays firing until 3 × 8 good ones in a row.
    const busy: Attempt[] = [];
    const start = T0 + 20 * DAY;
    for (let i = 0; i < 6 * 24 * 3; i++) {
      const t = start + i * 10 * MINUTE;
      const bad = i >= 6 * 24 && i < 2 * 6 * 24 && i % 8 === 0;
      busy.push(attemptAt(t, bad ? 20 : 3));
    }
    const sloOf = (keepFiringForMs: number | null): Slo => ({
      ...slo,
      objective: { ...slo.objective, target: { units: 99n, scale: 100n } },
      alerting: {
        ...slo.alerting,
        rules: slo.alerting.rules.map((rule) => ({
          ...rule,
          keepFiringForMs: keepFiringForMs ?? rule.keepFiringForMs,
        })),
      },
    });
    const firings = (subject: Slo) => {
      const evaluator = new AlertEvaluator(
        subject,
        VerdictSeries.of(subject, busy, start + 3 * DAY),
      );
      let states = new Map<string, AlertState>();
      const out: number[] = [];
      for (let at = start; at <= start + 3 * DAY; at += MINUTE) {
        const step = evaluator.evaluate(at, states);
        states = new Map(step.states.map((s) => [s.alert, s]));
        for (const t of step.transitions)
          if (t.alert === "medium-burn" && t.state !== "pending") out.push(t.at);
      }
      return out;
    };
    const plain = firings(sloOf(0));
    const settled = firings(sloOf(null));
    expect(plain.length).toBeGreaterThan(4);
    expect(settled).toHaveLength(2);
    expect(settled[0]).toBe(plain[0]);
    // Resolved after the regression, once a run of good attempts followed the last bad one
    // that 5 bad in 36 would give by chance less than once in a thousand.
    // The last bad verdict is at 46h50; 6 hours before it held 5 bad attempts of 36.
    const lastBad = start + 46 * HOUR + 50 * MINUTE;
    // ln(1/1000) / ln(1 − 5/36) = 46.2: 47 good attempts in a row.
    expect(settled[1] ?? 0).toBeGreaterThan(lastBad + 46 * 10 * MINUTE);
    expect(settled[1] ?? 0).toBeLessThan(lastBad + 48 * 10 * MINUTE);
  });

  it("raises the forecast ticket only with enough bad attempts in the window", () => {
    const start = T0 + 60 * 8 * HOUR;
    const bad = [0, 1].map((i) => attemptAt(start + i * 8 * HOUR, 20));
    const twoBad = conditionsAt(slo, [...healthy, ...bad], start + 9 * HOUR);
    expect(twoBad.get(FORECAST_ALERT)).toBe(false);
    const threeBad = [...bad, attemptAt(start + 16 * HOUR, 20)];
    expect(
      conditionsAt(slo, [...healthy, ...threeBad], start + 17 * HOUR).get(FORECAST_ALERT),
    ).toBe(true);
  });

  it("raises the baseline ticket when the recent p95 of a dependency drifts above its baseline", () => {
    const dependency = makeSlo({
      indicator: { kind: "dependency", dependency: "registry_pull" },
      thresholdMs: 10 * MINUTE,
    });
    const pull = (start: number, seconds: number) =>
      makeAttempt({
        startedAt: start,
        servingAt: start + 5 * MINUTE,
        dependencies: [{ name: "registry_pull", seconds, at: start + 60_000, attributes: {} }],
      });
    const baseline = Array.from({ length: 14 * 12 }, (_, i) => pull(T0 + i * 2 * HOUR, 20));
    const end = T0 + 14 * DAY;
    const recent = (seconds: number) =>
      Array.from({ length: 12 }, (_, i) => pull(end + i * 2 * HOUR, seconds));
    const at = end + DAY;
    expect(conditionsAt(dependency, [...baseline, ...recent(25)], at).get(BASELINE_ALERT)).toBe(
      false,
    );
    expect(conditionsAt(dependency, [...baseline, ...recent(40)], at).get(BASELINE_ALERT)).toBe(
      true,
    );
  });

  it("names the deployment SLOs with the same selector as put at risk by a dependency SLO", () => {
    const selector = { environment: "staging", model: null, labels: {} };
    const dependency = makeSlo({
      name: "pulls",
      selector,
      indicator: { kind: "dependency", dependency: "registry_pull" },
    });
    const deploys = makeSlo({ name: "staging-deploys", selector });
    const other = makeSlo({ name: "prod-deploys" });
    expect(slosAtRisk(dependency, [dependency, deploys, other])).toEqual(["staging-deploys"]);
    expect(slosAtRisk(deploys, [dependency, deploys, other])).toEqual([]);
  });
});
