import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { arbitraryAttempt, arbitrarySlo } from "../../../test/support/arbitraries.js";
import { DAY, HOUR, MINUTE, T0 } from "../../../test/support/make-attempt.js";
import { AlertEvaluator } from "../alerting/alert-evaluator.js";
import { windowBounds } from "../spec/window-bounds.js";
import { AttemptTables } from "./attempt-tables.js";
import { evaluateSlo } from "./evaluate-slo.js";
import { VerdictSeries } from "./verdict-series.js";

const SPAN = 3 * DAY;
const attempts = fc.array(
  arbitraryAttempt({
    startSpanMs: SPAN,
    duration: fc.integer({ min: 0, max: 3 * HOUR }),
    idCount: 40,
  }),
  { maxLength: 60 },
);
const slos = arbitrarySlo({
  maxMinutes: 90,
  windows: [
    { kind: "rolling", ms: DAY },
    { kind: "rolling", ms: 2 * DAY },
  ],
});

describe("VerdictSeries (property)", () => {
  it("judged once at the end, answers as of any earlier instant like a fresh judgement", () => {
    fc.assert(
      fc.property(
        attempts,
        slos,
        fc.array(fc.integer({ min: 0, max: SPAN + 4 * HOUR }), { minLength: 1, maxLength: 8 }),
        (list, slo, offsets) => {
          const last = T0 + SPAN + 4 * HOUR;
          const once = new AlertEvaluator(slo, VerdictSeries.of(slo, list, last));
          for (const offset of offsets) {
            const at = T0 + offset;
            const fresh = new AlertEvaluator(slo, VerdictSeries.of(slo, list, at));
            expect([...once.conditions(at)]).toEqual([...fresh.conditions(at)]);
            expect(once.exhaustsAt(at)).toEqual(fresh.exhaustsAt(at));
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it("counts the same good and bad verdicts in the window as evaluateSlo", () => {
    fc.assert(
      fc.property(attempts, slos, fc.integer({ min: 0, max: SPAN }), (list, slo, offset) => {
        const at = T0 + offset + MINUTE;
        const tables = AttemptTables.forSlos([slo]);
        for (const attempt of list) tables.add(attempt);
        const status = evaluateSlo(slo, tables, at);
        const series = VerdictSeries.of(slo, list, at);
        const to = series.knownBy(at);
        const from = series.knownBy(windowBounds(slo.window, at).verdictAfter);
        expect(to - from).toBe(status.eligible);
        expect(series.bad(from, to)).toBe(status.bad);
      }),
      { numRuns: 200 },
    );
  });
});
