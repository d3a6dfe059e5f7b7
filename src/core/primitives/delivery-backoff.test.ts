import { describe, expect, it } from "vitest";
import { DEFAULT_RETRY_POLICY, nextAttemptAt } from "./delivery-backoff.js";

const policy = { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 5_000 };

describe("nextAttemptAt", () => {
  it("doubles the delay after each failure, between half and the whole of it", () => {
    expect(nextAttemptAt(0, 1, 0, policy)).toBe(500);
    expect(nextAttemptAt(0, 1, 0.999999, policy)).toBe(1_000);
    expect(nextAttemptAt(0, 2, 0, policy)).toBe(1_000);
    expect(nextAttemptAt(0, 3, 0.5, policy)).toBe(3_000);
  });

  it("caps the delay", () => {
    expect(nextAttemptAt(10, 4, 1, policy)).toBe(10 + 5_000);
    expect(nextAttemptAt(10, 4, 0, policy)).toBe(10 + 2_500);
  });

  it("gives up after maxAttempts", () => {
    expect(nextAttemptAt(0, 5, 0.5, policy)).toBeNull();
    expect(nextAttemptAt(0, 4, 0.5, policy)).not.toBeNull();
  });

  it("keeps trying for about an hour by default", () => {
    let at = 0;
    let attempts = 1;
    for (;;) {
      const next = nextAttemptAt(at, attempts, 1, DEFAULT_RETRY_POLICY);
      if (next === null) break;
      at = next;
      attempts++;
    }
    expect(attempts).toBe(DEFAULT_RETRY_POLICY.maxAttempts);
    expect(at / 60_000).toBeGreaterThan(50);
    expect(at / 60_000).toBeLessThan(80);
  });
});
