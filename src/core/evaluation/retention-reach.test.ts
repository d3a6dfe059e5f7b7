import { describe, expect, it } from "vitest";
import { DAY, HOUR, MINUTE, makeSlo } from "../../../test/support/make-attempt.js";
import { sloReach } from "../alerting/slo-reach.js";
import {
  defaultRetentionMs,
  longestRetentionReach,
  retentionProblem,
  retentionReach,
  windowReachMs,
} from "./retention-reach.js";

describe("retentionReach", () => {
  it("counts a calendar month as 31 days and a week as 7", () => {
    expect(windowReachMs({ kind: "calendar", unit: "month" })).toBe(31 * DAY);
    expect(windowReachMs({ kind: "calendar", unit: "week" })).toBe(7 * DAY);
    expect(windowReachMs({ kind: "rolling", ms: 400 * DAY })).toBe(400 * DAY);
  });

  it("adds the longest lookback: the status's 3d, a longer rule window, a dependency baseline", () => {
    // 30 days with the default rules (1h, 6h, 3d): the status's 3d is the longest.
    expect(retentionReach(makeSlo({ name: "a" }))).toEqual({
      slo: "a",
      windowMs: 30 * DAY,
      lookbackMs: 3 * DAY,
      ms: 33 * DAY,
    });
    // 400 days: the default slow-burn rule's long window is 3d × 400/30 = 40 days.
    expect(retentionReach(makeSlo({ window: { kind: "rolling", ms: 400 * DAY } })).lookbackMs).toBe(
      40 * DAY,
    );
    // A one-day window still reports the 3d burn rate, which reaches past the window.
    expect(retentionReach(makeSlo({ window: { kind: "rolling", ms: DAY } })).ms).toBe(4 * DAY);
    const dependency = makeSlo({ indicator: { kind: "dependency", dependency: "image_pull" } });
    expect(retentionReach(dependency).lookbackMs).toBe(14 * DAY);
  });

  it("is never shorter than what a replica holds in memory for the SLO", () => {
    const slos = [
      makeSlo(),
      makeSlo({ window: { kind: "rolling", ms: DAY } }),
      makeSlo({ window: { kind: "rolling", ms: 400 * DAY } }),
      makeSlo({ window: { kind: "calendar", unit: "month" } }),
      makeSlo({ window: { kind: "calendar", unit: "week" } }),
      makeSlo({ indicator: { kind: "dependency", dependency: "image_pull" } }),
    ];
    for (const slo of slos) expect(retentionReach(slo).ms).toBeGreaterThanOrEqual(sloReach(slo));
  });
});

describe("retention", () => {
  const slos = [
    makeSlo({ name: "weekly", window: { kind: "rolling", ms: 7 * DAY } }),
    makeSlo({ name: "monthly", window: { kind: "calendar", unit: "month" } }),
  ];

  it("must cover the window and the lookback of every SLO", () => {
    expect(longestRetentionReach(slos)?.slo).toBe("monthly");
    expect(longestRetentionReach([])).toBeUndefined();
    expect(retentionProblem(34 * DAY, slos)).toBeUndefined();
    expect(retentionProblem(34 * DAY - 1, slos)).toBe(
      'retention 33d23h59m59s999ms is shorter than what SLO "monthly" (test.yaml:1) reads: its window (31d) plus its longest lookback (3d) = 34d; retain at least 34d',
    );
    expect(retentionProblem(HOUR, [])).toBeUndefined();
  });

  it("defaults to two windows, the lookback and a day, for the SLO that needs most", () => {
    // monthly: 2 × 31d + 3d + 1d; weekly: 2 × 7d + 3d + 1d.
    expect(defaultRetentionMs(slos)).toBe(66 * DAY);
    expect(defaultRetentionMs([slos[0] ?? makeSlo()])).toBe(18 * DAY);
    expect(defaultRetentionMs([])).toBeUndefined();
    expect(defaultRetentionMs(slos)).toBeGreaterThan(
      (longestRetentionReach(slos)?.ms ?? 0) + MINUTE,
    );
  });
});
