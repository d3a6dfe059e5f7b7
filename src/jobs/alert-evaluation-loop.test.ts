import { describe, expect, it } from "vitest";
import {
  alertLeaseMs,
  alertLeaseRenewMs,
  DEFAULT_ALERT_INTERVAL_MS,
} from "./alert-evaluation-loop.js";

/**
 * When the holder dies right after renewing, its lease runs leaseMs more; a standby tries every
 * renewMs, so it has the lease at the latest leaseMs + renewMs after the death.
 */
const takeoverBound = (intervalMs: number) =>
  alertLeaseMs(intervalMs) + alertLeaseRenewMs(intervalMs);

describe("the alert evaluator's lease", () => {
  it("moves to another replica within two intervals, and at most 15 s", () => {
    for (const seconds of [1, 2, 3, 5, 10, 15, 30, 60, 300, 3600]) {
      const intervalMs = seconds * 1000;
      expect(takeoverBound(intervalMs), `${seconds}s`).toBeLessThanOrEqual(2 * intervalMs);
      expect(takeoverBound(intervalMs), `${seconds}s`).toBeLessThanOrEqual(15_000);
    }
    expect(takeoverBound(DEFAULT_ALERT_INTERVAL_MS)).toBeCloseTo(13_333, 0);
    expect(takeoverBound(2_000)).toBeCloseTo(3_333, 0);
  });

  it("is renewed three times per lease, so two missed renewals do not lose it", () => {
    for (const intervalMs of [1_000, 2_000, 30_000, 3_600_000]) {
      expect(alertLeaseMs(intervalMs) / alertLeaseRenewMs(intervalMs)).toBe(3);
    }
  });
});
