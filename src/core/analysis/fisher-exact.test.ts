import { describe, expect, it } from "vitest";
import { fisherExact } from "./fisher-exact.js";

describe("fisherExact", () => {
  it("matches the textbook tea-tasting table and R's fisher.test", () => {
    // Fisher's lady tasting tea: 3 of 4 right each way; R: p-value = 0.4857.
    expect(fisherExact(3, 1, 1, 3)).toBeCloseTo(34 / 70, 10);
    // R: fisher.test(matrix(c(1, 11, 9, 3), 2)) → 0.002759
    expect(fisherExact(1, 9, 11, 3)).toBeCloseTo(0.002759, 6);
  });

  it("is 1 for identical rows and for an empty margin", () => {
    expect(fisherExact(5, 5, 5, 5)).toBe(1);
    expect(fisherExact(0, 0, 3, 4)).toBe(1);
    expect(fisherExact(0, 7, 0, 4)).toBe(1);
  });

  it("is symmetric in rows and columns", () => {
    expect(fisherExact(2, 8, 9, 3)).toBeCloseTo(fisherExact(9, 3, 2, 8), 12);
    expect(fisherExact(2, 8, 9, 3)).toBeCloseTo(fisherExact(2, 9, 8, 3), 12);
  });
});
