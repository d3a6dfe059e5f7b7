import { describe, expect, it } from "vitest";
import { backoffDelay } from "./retry-policy.js";

const POLICY = { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 30_000 };

describe("backoffDelay", () => {
  it("doubles from the base, with half of each wait fixed and half random", () => {
    const low = [1, 2, 3, 4].map((retry) => backoffDelay(retry, POLICY, 0));
    const high = [1, 2, 3, 4].map((retry) => backoffDelay(retry, POLICY, 1));
    expect(low).toEqual([500, 1000, 2000, 4000]);
    expect(high).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffDelay(2, POLICY, 0.5)).toBe(1500);
  });

  it("never waits more than maxDelayMs", () => {
    expect(backoffDelay(10, POLICY, 1)).toBe(30_000);
    expect(backoffDelay(10, POLICY, 0)).toBe(15_000);
  });

  it("keeps a random number outside [0, 1] within the jitter", () => {
    expect(backoffDelay(1, POLICY, -3)).toBe(500);
    expect(backoffDelay(1, POLICY, 7)).toBe(1000);
  });
});
