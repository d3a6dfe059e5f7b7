import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { durationHistogram } from "./duration-histogram.js";

describe("durationHistogram", () => {
  it("bins durations with readable edges and the threshold inside the range", () => {
    const histogram = durationHistogram([1_000, 59_000, 61_000, 100_000], 60_000, 12);
    expect(histogram.edges[1]).toBe(10);
    expect(histogram.edges[histogram.edges.length - 1]).toBeGreaterThanOrEqual(120);
    expect(histogram.counts[0]).toBe(1);
    expect(histogram.counts[5]).toBe(1);
    expect(histogram.counts[6]).toBe(1);
    expect(histogram.overflow).toBe(0);
    expect(histogram.total).toBe(4);
  });

  it("counts every duration exactly once", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 10_000_000 })),
        fc.integer({ min: 1, max: 3_600_000 }),
        (durations, threshold) => {
          const h = durationHistogram(durations, threshold);
          const counted = h.counts.reduce((a, b) => a + b, 0) + h.overflow;
          expect(counted).toBe(durations.length);
          expect(h.edges.length).toBe(h.counts.length + 1);
          expect(h.edges[h.edges.length - 1] ?? 0).toBeGreaterThanOrEqual(threshold / 1000);
        },
      ),
    );
  });
});
