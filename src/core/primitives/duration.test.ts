import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration } from "./duration.js";

describe("parseDuration", () => {
  it.each([
    ["5m", 300_000],
    ["2m30s", 150_000],
    ["1.5h", 5_400_000],
    ["250ms", 250],
    ["30d", 2_592_000_000],
    ["1w", 604_800_000],
    ["1h0m1s", 3_601_000],
    ["0s", 0],
    [" 10s ", 10_000],
  ])("reads %s", (text, ms) => {
    expect(parseDuration(text)).toEqual({ ok: true, ms });
  });
  it("says a bare number has no unit", () => {
    expect(parseDuration("300")).toEqual({
      ok: false,
      reason: "300 has no unit: write 300s, 300m or similar",
    });
  });
  it.each(["", "5 minutes", "m5", "5x", "1s1m", "1m1m", "0.5ms", "1.0001s", "-5m"])(
    "rejects %j",
    (text) => {
      expect(parseDuration(text).ok).toBe(false);
    },
  );
  it("formats compound durations without weeks", () => {
    expect(formatDuration(150_000)).toBe("2m30s");
    expect(formatDuration(2_592_000_000)).toBe("30d");
    expect(formatDuration(3_601_001)).toBe("1h1s1ms");
    expect(formatDuration(0)).toBe("0s");
  });
  it("round-trips any whole number of milliseconds", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 * 365 * 86_400_000 }), (ms) => {
        expect(parseDuration(formatDuration(ms))).toEqual({ ok: true, ms });
      }),
    );
  });
});
