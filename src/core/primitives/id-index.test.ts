import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { IdIndex } from "./id-index.js";

describe("IdIndex", () => {
  it("numbers new ids in order and finds them again", () => {
    const index = new IdIndex();
    expect(index.getOrAdd("a")).toBe(0);
    expect(index.lastAdded).toBe(true);
    expect(index.getOrAdd("b")).toBe(1);
    expect(index.getOrAdd("a")).toBe(0);
    expect(index.lastAdded).toBe(false);
    expect(index.get("b")).toBe(1);
    expect(index.get("c")).toBe(-1);
    expect(index.size).toBe(2);
  });
  it("behaves like a Map for any sequence of ids, through many rehashes", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 6 }), { maxLength: 3000 }), (ids) => {
        const index = new IdIndex();
        const reference = new Map<string, number>();
        for (const id of ids) {
          const expected = reference.get(id);
          const got = index.getOrAdd(id);
          if (expected === undefined) {
            reference.set(id, reference.size);
            expect([got, index.lastAdded]).toEqual([reference.size - 1, true]);
          } else {
            expect([got, index.lastAdded]).toEqual([expected, false]);
          }
        }
        for (const [id, row] of reference) expect(index.get(id)).toBe(row);
      }),
      { numRuns: 50 },
    );
  });
  it("holds 200,000 ids", () => {
    const index = new IdIndex();
    for (let i = 0; i < 200_000; i++) index.getOrAdd(`att-${i}`);
    expect(index.get("att-199999")).toBe(199_999);
    expect(index.getOrAdd("att-0")).toBe(0);
    expect(index.lastAdded).toBe(false);
  });
});
