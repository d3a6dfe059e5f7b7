import { describe, expect, it } from "vitest";
import { forecastExhaustion } from "./forecast-exhaustion.js";

const DAY = 86_400_000;

describe("forecastExhaustion", () => {
  it("divides what remains of the window's budget by the burn rate", () => {
    // Half the budget left, burning 5× too fast over 30 days: 0.5 × 30d / 5 = 3 days.
    expect(forecastExhaustion(0.5, 5, 30 * DAY, 0, null)).toBe(3 * DAY);
  });

  it("is null when a rolling window's burn is at most 1, or nothing burns", () => {
    expect(forecastExhaustion(0.5, 1, 30 * DAY, 0, null)).toBeNull();
    expect(forecastExhaustion(0.5, 0, 30 * DAY, 0, DAY)).toBeNull();
  });

  it("is `at` when the budget is already spent", () => {
    expect(forecastExhaustion(-0.2, 0, 30 * DAY, 123, null)).toBe(123);
  });

  it("is null past the end of a calendar period, where the budget starts afresh", () => {
    expect(forecastExhaustion(0.5, 0.5, 30 * DAY, 0, 40 * DAY)).toBe(30 * DAY);
    expect(forecastExhaustion(0.5, 0.5, 30 * DAY, 0, 20 * DAY)).toBeNull();
  });
});
