import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { arbitraryAttempt, arbitrarySlo } from "../../../test/support/arbitraries.js";
import { DAY, HOUR, MINUTE, makeAttempt, makeSlo, T0 } from "../../../test/support/make-attempt.js";
import { AttemptTables } from "../../core/evaluation/attempt-tables.js";
import { evaluateSlo } from "../../core/evaluation/evaluate-slo.js";
import { verdictCounters } from "./verdict-counters.js";

describe("verdictCounters", () => {
  it("counts every verdict known by the instant, over the whole history, for the SLO's selector", () => {
    const slo = makeSlo({
      name: "prod",
      selector: { environment: "production", model: null, labels: {} },
    });
    const tables = AttemptTables.forSlos([slo]);
    const at = T0 + 100 * DAY;
    tables.add(makeAttempt({ id: "old-good", startedAt: T0, servingAt: T0 + MINUTE }));
    tables.add(
      makeAttempt({ id: "slow", startedAt: T0 + 50 * DAY, servingAt: T0 + 50 * DAY + HOUR }),
    );
    tables.add(makeAttempt({ id: "stuck", startedAt: at - 10 * MINUTE, servingAt: null }));
    tables.add(makeAttempt({ id: "pending", startedAt: at - MINUTE, servingAt: null }));
    tables.add(
      makeAttempt({ id: "staging", environment: "staging", startedAt: T0, servingAt: T0 + 1 }),
    );
    tables.add(makeAttempt({ id: "later", startedAt: at + 1, servingAt: at + 2 }));
    expect(verdictCounters([slo], tables, at)).toEqual([{ slo: "prod", good: 1, bad: 2 }]);
  });

  it("only grows with the instant, and equals the status counts when the window holds all history", () => {
    const window = { kind: "rolling" as const, ms: 400 * DAY };
    fc.assert(
      fc.property(
        arbitrarySlo({ maxMinutes: 30, windows: [window] }),
        fc.array(
          arbitraryAttempt({
            startSpanMs: 10 * DAY,
            duration: fc.integer({ min: 0, max: 2 * HOUR }),
          }),
          {
            maxLength: 40,
          },
        ),
        fc.integer({ min: 0, max: 11 * DAY }),
        fc.integer({ min: 0, max: DAY }),
        (slo, attempts, offset, step) => {
          const tables = AttemptTables.forSlos([slo]);
          for (const [i, attempt] of attempts.entries()) tables.add({ ...attempt, id: `a${i}` });
          const at = T0 + offset;
          const [now] = verdictCounters([slo], tables, at);
          const [later] = verdictCounters([slo], tables, at + step);
          const status = evaluateSlo(slo, tables, at);
          expect(now?.good).toBe(status.good);
          expect(now?.bad).toBe(status.bad);
          expect(later?.good).toBeGreaterThanOrEqual(now?.good ?? 0);
          expect(later?.bad).toBeGreaterThanOrEqual(now?.bad ?? 0);
        },
      ),
    );
  });
});
