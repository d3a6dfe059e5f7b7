import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatTimestamp, parseTimestamp } from "./timestamp.js";

describe("parseTimestamp", () => {
  it("reads UTC with milliseconds exactly", () => {
    expect(parseTimestamp("2026-10-01T10:03:12.500Z")).toBe(Date.UTC(2026, 9, 1, 10, 3, 12, 500));
  });
  it("applies offsets", () => {
    expect(parseTimestamp("2026-10-01T12:00:00+02:00")).toBe(Date.UTC(2026, 9, 1, 10));
    expect(parseTimestamp("2026-10-01T05:30:00-04:30")).toBe(Date.UTC(2026, 9, 1, 10));
  });
  it("pads short fractions and truncates sub-millisecond digits", () => {
    expect(parseTimestamp("2026-10-01T10:00:00.5Z")).toBe(Date.UTC(2026, 9, 1, 10, 0, 0, 500));
    expect(parseTimestamp("2026-10-01T10:00:00.12Z")).toBe(Date.UTC(2026, 9, 1, 10, 0, 0, 120));
    expect(parseTimestamp("2026-10-01T10:00:00.123999Z")).toBe(Date.UTC(2026, 9, 1, 10, 0, 0, 123));
  });
  it("accepts lower-case t/z and a space separator, as RFC 3339 allows", () => {
    const expected = Date.UTC(2026, 9, 1, 10);
    expect(parseTimestamp("2026-10-01t10:00:00z")).toBe(expected);
    expect(parseTimestamp("2026-10-01 10:00:00Z")).toBe(expected);
  });
  it("reads a leap second as the last millisecond of its minute", () => {
    expect(parseTimestamp("2016-12-31T23:59:60Z")).toBe(Date.UTC(2016, 11, 31, 23, 59, 59, 999));
  });
  it.each([
    "2026-10-01T10:00:00", // no zone
    "2026-10-01",
    "2026-02-29T00:00:00Z", // not a leap year
    "2026-13-01T00:00:00Z",
    "2026-10-32T00:00:00Z",
    "2026-10-01T24:00:00Z",
    "2026-10-01T10:60:00Z",
    "2026-10-01T10:00:00.Z",
    "2026-10-01T10:00:00+0200",
    "2026-10-01T10:00:00Zjunk",
    "yesterday at noon, roughly",
    "",
  ])("rejects %j", (text) => {
    expect(parseTimestamp(text)).toBeUndefined();
  });
  it("accepts 29 February in leap years", () => {
    expect(parseTimestamp("2028-02-29T00:00:00Z")).toBe(Date.UTC(2028, 1, 29));
    expect(parseTimestamp("2000-02-29T00:00:00Z")).toBe(Date.UTC(2000, 1, 29));
    expect(parseTimestamp("2100-02-29T00:00:00Z")).toBeUndefined();
  });
  it("round-trips every millisecond instant through formatTimestamp", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 253402300799999 }), (ms) => {
        expect(parseTimestamp(formatTimestamp(ms))).toBe(ms);
      }),
    );
  });
});
