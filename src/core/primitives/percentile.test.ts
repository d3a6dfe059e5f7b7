import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nearestRank } from "./percentile.js";

describe("nearestRank", () => {
  it("uses rank ⌈p·n/100⌉", () => {
    const values = Float64Array.from([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    expect(nearestRank(values, 10, 50)).toBe(50);
    expect(nearestRank(values, 10, 90)).toBe(90);
    expect(nearestRank(values, 10, 95)).toBe(100);
    expect(nearestRank(values, 10, 99)).toBe(100);
    expect(nearestRank(values, 1, 50)).toBe(10);
  });
  it("is exact where float arithmetic would round: p95 of 20 values is the 19th", () => {
    const values = Float64Array.from({ length: 20 }, (_, i) => i + 1);
    expect(nearestRank(values, 20, 95)).toBe(19);
  });
  it("is undefined for no values and rejects bad percentiles", () => {
    expect(nearestRank([], 0, 50)).toBeUndefined();
    expect(() => nearestRank([1], 1, 0)).toThrow(RangeError);
    expect(() => nearestRank([1], 1, 99.5)).toThrow(RangeError);
  });
  it("returns the smallest value with at least p% of values at or below it", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1 }),
        fc.integer({ min: 1, max: 100 }),
        (raw, p) => {
          const sorted = [...raw].sort((a, b) => a - b);
          const value = nearestRank(sorted, sorted.length, p) ?? Number.NaN;
          const atOrBelow = sorted.filter((x) => x <= value).length;
          const below = sorted.filter((x) => x < value).length;
          expect(atOrBelow * 100).toBeGreaterThanOrEqual(p * sorted.length);
          expect(below * 100).toBeLessThan(p * sorted.length);
        },
      ),
    );
  });
});
