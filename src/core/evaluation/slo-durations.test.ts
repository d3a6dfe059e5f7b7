import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { arbitraryAttempt, arbitrarySlo } from "../../../test/support/arbitraries.js";
import { DAY, HOUR, T0 } from "../../../test/support/make-attempt.js";
import { AttemptTables } from "./attempt-tables.js";
import { evaluateSlo } from "./evaluate-slo.js";
import { sloDurations } from "./slo-durations.js";

describe("sloDurations", () => {
  it("returns exactly the attempts the evaluation counts, with its extreme durations", () => {
    fc.assert(
      fc.property(
        arbitrarySlo({
          maxMinutes: 600,
          windows: [
            { kind: "rolling", ms: 7 * DAY },
            { kind: "calendar", unit: "month" },
          ],
        }),
        fc.array(
          arbitraryAttempt({
            startSpanMs: 60 * DAY,
            duration: fc.integer({ min: 0, max: 20 * HOUR }),
            idCount: 40,
          }),
          { maxLength: 60 },
        ),
        fc.integer({ min: 0, max: 70 * DAY }),
        (slo, attempts, offset) => {
          const tables = AttemptTables.forSlos([slo]);
          for (const attempt of attempts) tables.add(attempt);
          const at = T0 + offset;
          const status = evaluateSlo(slo, tables, at);
          const { durationsMs, withoutDuration } = sloDurations(slo, tables, at);
          expect(durationsMs.length + withoutDuration).toBe(status.eligible);
          const max = durationsMs.length === 0 ? null : Math.max(...durationsMs) / 1000;
          expect(max).toBe(status.percentiles.max);
        },
      ),
    );
  });
});
