import { describe, expect, it } from "vitest";
import { HOUR, MINUTE, makeAttempt, makeSlo, T0 } from "../../../test/support/make-attempt.js";
import { AttemptTables } from "./attempt-tables.js";
import { evaluateSlo } from "./evaluate-slo.js";
import { sloState } from "./slo-state.js";

function stateAfter(durationsMin: number[], at: number) {
  const slo = makeSlo({ thresholdMs: 10 * MINUTE, targetPercent: "90" });
  const tables = AttemptTables.forSlos([slo]);
  durationsMin.forEach((minutes, i) => {
    const startedAt = T0 + i * HOUR;
    tables.add(
      makeAttempt({
        startedAt,
        servingAt: startedAt + minutes * MINUTE,
        endedAt: startedAt + minutes * MINUTE,
      }),
    );
  });
  return sloState(evaluateSlo(slo, tables, at));
}

describe("sloState", () => {
  it("is ok while the budget lasts and nothing burns fast", () => {
    expect(
      stateAfter(
        Array.from({ length: 20 }, () => 5),
        T0 + 30 * HOUR,
      ),
    ).toBe("ok");
  });
  it("is burning when the last hours spend budget faster than allowed", () => {
    const durations = [...Array.from({ length: 19 }, () => 5), 20];
    expect(stateAfter([...durations, ...Array.from({ length: 20 }, () => 5)], T0 + 20 * HOUR)).toBe(
      "burning",
    );
  });
  it("is exhausted when nothing is left", () => {
    expect(stateAfter([20, 20, 5], T0 + 5 * HOUR)).toBe("exhausted");
  });
});
