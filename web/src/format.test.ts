import { describe, expect, it } from "vitest";
import { budgetAmount, count, duration, forecastText, percent } from "./format.js";

describe("format", () => {
  it("uses the singular for one", () => {
    expect(count(1, "attempt")).toBe("1 attempt");
    expect(count(2345, "attempt")).toBe("2,345 attempts");
    expect(budgetAmount(1, "attempts")).toBe("1 attempt");
    expect(budgetAmount(2.5, "attempts")).toBe("2.5 attempts");
  });
  it("writes durations at a readable precision", () => {
    expect(duration(0.85)).toBe("850 ms");
    expect(duration(42.4)).toBe("42 s");
    expect(duration(252)).toBe("4m 12s");
    expect(duration(3780)).toBe("1h 03m");
    expect(duration(600)).toBe("10m");
    expect(duration(3600)).toBe("1h");
    expect(duration(null)).toBe("—");
  });
  it("says when the budget runs out, that it is spent, or that it holds", () => {
    const at = "2026-10-14T09:30:00.000Z";
    expect(forecastText(null, at)).toBe("holds at the 3-day burn");
    expect(forecastText(at, at)).toBe("spent");
    expect(forecastText("2026-10-20T18:00:00.000Z", at)).toBe("runs out 20 Oct, 18:00 UTC");
  });

  it("writes ratios as percentages", () => {
    expect(percent(0.8542)).toBe("85.42%");
    expect(percent(null)).toBe("—");
    expect(percent(-0.000004, 0)).toBe("0%");
  });
});
