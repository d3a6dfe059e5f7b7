import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nearestRank } from "./percentile.js";
import { maxOf, selectRank } from "./select-rank.js";

describe("selectRank", () => {
  it("finds each rank a sort would, for any values, including many duplicates", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 1e6 })), {
          minLength: 1,
          maxLength: 300,
        }),
        fc.nat(),
        (raw, pick) => {
          const values = Float64Array.from(raw);
          const sorted = Float64Array.from(raw).sort();
          const k = pick % raw.length;
          expect(selectRank(values, 0, values.length, k)).toBe(sorted[k]);
          for (let i = 0; i < k; i++) expect(values[i]).toBeLessThanOrEqual(values[k] ?? 0);
          for (let i = k + 1; i < values.length; i++)
            expect(values[i]).toBeGreaterThanOrEqual(values[k] ?? 0);
        },
      ),
    );
  });

  it("gives nearest-rank percentiles equal to sorting when ranks are selected in increasing order", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 500 }),
        (raw) => {
          const values = Float64Array.from(raw);
          const sorted = Float64Array.from(raw).sort();
          let from = 0;
          for (const p of [50, 90, 95, 99]) {
            const rank = Math.floor((p * raw.length + 99) / 100) - 1;
            expect(selectRank(values, from, values.length, rank)).toBe(
              nearestRank(sorted, raw.length, p),
            );
            from = rank;
          }
          expect(maxOf(values, from, values.length)).toBe(sorted[raw.length - 1]);
        },
      ),
    );
  });

  it("stays correct on sorted, reversed and constant inputs", () => {
    const n = 10_000;
    for (const make of [(i: number) => i, (i: number) => n - i, () => 7]) {
      const values = Float64Array.from({ length: n }, (_, i) => make(i));
      const sorted = Float64Array.from(values).sort();
      expect(selectRank(values, 0, n, 9_499)).toBe(sorted[9_499]);
    }
  });
});
