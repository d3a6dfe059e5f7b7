import { describe, expect, it } from "vitest";
import { windowBounds } from "./window-bounds.js";

const utc = (text: string) => Date.parse(text);

describe("windowBounds", () => {
  it("rolling windows end at `at` and exclude their start", () => {
    const at = utc("2026-10-14T09:30:00Z");
    const b = windowBounds({ kind: "rolling", ms: 86_400_000 }, at);
    expect(b).toEqual({
      start: at - 86_400_000,
      end: at,
      verdictAfter: at - 86_400_000,
      lengthMs: 86_400_000,
      periodEnd: null,
    });
  });
  it("calendar months start on the 1st at 00:00 UTC and include it", () => {
    const b = windowBounds({ kind: "calendar", unit: "month" }, utc("2026-10-14T09:30:00Z"));
    expect(b.start).toBe(utc("2026-10-01T00:00:00Z"));
    expect(b.verdictAfter).toBe(b.start - 1);
    expect(b.periodEnd).toBe(utc("2026-11-01T00:00:00Z"));
    expect(b.lengthMs).toBe(31 * 86_400_000);
  });
  it("at the first millisecond of a month the window is that month, one instant long so far", () => {
    const at = utc("2026-11-01T00:00:00Z");
    const b = windowBounds({ kind: "calendar", unit: "month" }, at);
    expect(b.start).toBe(at);
    expect(b.lengthMs).toBe(30 * 86_400_000);
  });
  it("at the last millisecond of a month the window is still that month", () => {
    const b = windowBounds({ kind: "calendar", unit: "month" }, utc("2026-10-31T23:59:59.999Z"));
    expect(b.start).toBe(utc("2026-10-01T00:00:00Z"));
  });
  it("knows February in leap years and December's successor", () => {
    expect(
      windowBounds({ kind: "calendar", unit: "month" }, utc("2028-02-10T00:00:00Z")).lengthMs,
    ).toBe(29 * 86_400_000);
    expect(
      windowBounds({ kind: "calendar", unit: "month" }, utc("2026-12-31T12:00:00Z")).periodEnd,
    ).toBe(utc("2027-01-01T00:00:00Z"));
  });
  it("calendar weeks start on Monday 00:00 UTC", () => {
    // 2026-10-14 is a Wednesday; 2026-10-18 a Sunday; 2026-10-19 a Monday.
    expect(
      windowBounds({ kind: "calendar", unit: "week" }, utc("2026-10-14T09:30:00Z")).start,
    ).toBe(utc("2026-10-12T00:00:00Z"));
    expect(
      windowBounds({ kind: "calendar", unit: "week" }, utc("2026-10-18T23:59:59.999Z")).start,
    ).toBe(utc("2026-10-12T00:00:00Z"));
    expect(
      windowBounds({ kind: "calendar", unit: "week" }, utc("2026-10-19T00:00:00Z")).start,
    ).toBe(utc("2026-10-19T00:00:00Z"));
    expect(
      windowBounds({ kind: "calendar", unit: "week" }, utc("2026-10-19T00:00:00Z")).lengthMs,
    ).toBe(7 * 86_400_000);
  });
});
