import { describe, expect, it } from "vitest";
import { duration, percent } from "./format.js";

describe("format", () => {
  it("writes durations at a readable precision", () => {
    expect(duration(0.85)).toBe("850 ms");
    expect(duration(42.4)).toBe("42 s");
    expect(duration(252)).toBe("4m 12s");
    expect(duration(3780)).toBe("1h 03m");
    expect(duration(600)).toBe("10m");
    expect(duration(3600)).toBe("1h");
    expect(duration(null)).toBe("—");
  });
  it("writes ratios as percentages", () => {
    expect(percent(0.8542)).toBe("85.42%");
    expect(percent(null)).toBe("—");
  });
});
