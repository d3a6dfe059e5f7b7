import { describe, expect, it } from "vitest";
import {
  HOUR,
  MINUTE,
  makeAttempt,
  makeSlo,
  makeStage,
  T0,
} from "../../../test/support/make-attempt.js";
import { AttemptTables } from "./attempt-tables.js";
import { VerdictSeries } from "./verdict-series.js";

describe("VerdictSeries", () => {
  const slo = makeSlo({ thresholdMs: 10 * MINUTE });

  it("orders verdicts by when they became known and counts bad ones by prefix", () => {
    const attempts = [
      makeAttempt({ id: "slow", startedAt: T0, servingAt: T0 + 30 * MINUTE }),
      makeAttempt({ id: "fast", startedAt: T0 + MINUTE, servingAt: T0 + 3 * MINUTE }),
      makeAttempt({ id: "late", startedAt: T0 + 2 * HOUR, servingAt: T0 + 3 * HOUR }),
    ];
    const series = VerdictSeries.of(slo, attempts, T0 + HOUR);
    // "late" started but is still pending at T0 + 1h: it has no verdict yet.
    expect([...series.times]).toEqual([T0 + 3 * MINUTE, T0 + 10 * MINUTE]);
    expect(series.bad(0, 2)).toBe(1);
    expect(series.knownBy(T0 + 5 * MINUTE)).toBe(1);
  });

  it("keeps the last record of an id and honours the selector and stage indicator", () => {
    const stageSlo = makeSlo({
      thresholdMs: MINUTE,
      indicator: { kind: "stage", stage: "provision" },
      selector: { environment: "production", model: null, labels: {} },
    });
    const provision = (minutes: number) =>
      makeStage({ name: "provision", startedAt: T0, endedAt: T0 + minutes * MINUTE });
    const attempts = [
      makeAttempt({ id: "a", startedAt: T0, servingAt: T0 + 5 * MINUTE, stages: [provision(5)] }),
      makeAttempt({ id: "a", startedAt: T0, servingAt: T0 + 5 * MINUTE, stages: [provision(0.5)] }),
      makeAttempt({
        id: "b",
        environment: "staging",
        startedAt: T0,
        servingAt: T0 + MINUTE,
        stages: [provision(5)],
      }),
    ];
    const series = VerdictSeries.of(stageSlo, attempts, T0 + HOUR);
    expect(series.length).toBe(1);
    expect(series.bad(0, 1)).toBe(0);
  });

  it("gives the same verdicts from a service's in-memory tables as from the attempts", () => {
    const stageSlo = makeSlo({
      thresholdMs: MINUTE,
      indicator: { kind: "stage", stage: "provision" },
      selector: { environment: "production", model: null, labels: {} },
    });
    const provision = (minutes: number) =>
      makeStage({ name: "provision", startedAt: T0, endedAt: T0 + minutes * MINUTE });
    const attempts = [
      makeAttempt({ id: "a", startedAt: T0, servingAt: T0 + 5 * MINUTE, stages: [provision(5)] }),
      makeAttempt({ id: "a", startedAt: T0, servingAt: T0 + 5 * MINUTE, stages: [provision(0.5)] }),
      makeAttempt({ id: "b", startedAt: T0, servingAt: T0 + 30 * MINUTE, stages: [provision(2)] }),
      makeAttempt({ id: "c", environment: "staging", startedAt: T0, servingAt: T0 + MINUTE }),
      makeAttempt({ id: "d", startedAt: T0 + 2 * HOUR, servingAt: T0 + 3 * HOUR }),
    ];
    for (const one of [slo, stageSlo]) {
      const tables = AttemptTables.forSlos([one]);
      for (const attempt of attempts) tables.add(attempt);
      const fromTables = VerdictSeries.ofTables(one, tables, T0 + HOUR);
      const fromAttempts = VerdictSeries.of(one, attempts, T0 + HOUR);
      expect(fromTables.length).toBeGreaterThan(0);
      expect([...fromTables.times]).toEqual([...fromAttempts.times]);
      expect([...fromTables.badBefore]).toEqual([...fromAttempts.badBefore]);
      expect([...fromTables.durations]).toEqual([...fromAttempts.durations]);
    }
  });
});
