import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { countAbove, kthOfTwo, mergeSorted, withoutSorted } from "./slo-buckets.js";

const sorted = fc
  .array(fc.integer({ min: -50, max: 50 }), { maxLength: 40 })
  .map((values) => Float64Array.from(values).sort());

describe("kthOfTwo", () => {
  it("is the k-th value of the two arrays sorted together", () => {
    fc.assert(
      fc.property(sorted, sorted, fc.nat(), (a, b, seed) => {
        fc.pre(a.length + b.length > 0);
        const k = seed % (a.length + b.length);
        const all = Float64Array.from([...a, ...b]).sort();
        expect(kthOfTwo(a, a.length, b, b.length, k)).toBe(all[k]);
      }),
      { numRuns: 500 },
    );
  });
});

describe("countAbove", () => {
  it("counts the values greater than the bound", () => {
    fc.assert(
      fc.property(sorted, fc.integer({ min: -60, max: 60 }), (values, bound) => {
        expect(countAbove(values, bound)).toBe([...values].filter((v) => v > bound).length);
      }),
    );
  });
});

describe("mergeSorted and withoutSorted", () => {
  it("add and remove a sorted multiset, and undo each other", () => {
    fc.assert(
      fc.property(sorted, sorted, (a, b) => {
        const merged = mergeSorted(a, b);
        expect([...merged]).toEqual([...a, ...b].sort((x, y) => x - y));
        expect([...withoutSorted(merged, b)]).toEqual([...a]);
      }),
    );
  });
});
