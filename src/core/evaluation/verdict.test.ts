import { describe, expect, it } from "vitest";
import { SUBJECT, type SubjectOutcome } from "./subject-outcome.js";
import { emptyVerdict, judge, VERDICT } from "./verdict.js";

const T = 300_000; // 5m
const S = 1_000_000; // startedAt
const NONE = Number.NaN;

function verdict(outcome: SubjectOutcome, stop: number, end: number, at: number) {
  return { ...judge(emptyVerdict(), outcome, S, stop, end, T, at) };
}

describe("judge: succeeded", () => {
  it("is good at servingAt when the duration is exactly the threshold", () => {
    expect(verdict(SUBJECT.succeeded, S + T, NONE, S + T)).toMatchObject({
      kind: VERDICT.good,
      at: S + T,
      durationMs: T,
    });
  });
  it("is bad at startedAt + T when 1 ms over, with the overrun as violation", () => {
    expect(verdict(SUBJECT.succeeded, S + T + 1, NONE, S + T + 1)).toMatchObject({
      kind: VERDICT.bad,
      at: S + T,
      durationMs: T + 1,
      violationStart: S + T,
      violationEnd: S + T + 1,
    });
  });
  it("is still in progress when servingAt is 1 ms after `at`", () => {
    expect(verdict(SUBJECT.succeeded, S + 1000, NONE, S + 999)).toMatchObject({
      kind: VERDICT.pending,
      inProgress: true,
    });
  });
  it("counts as bad while unknown once past the threshold, with the same verdict time as when known", () => {
    const before = verdict(SUBJECT.succeeded, S + T + 5000, NONE, S + T + 1);
    const after = verdict(SUBJECT.succeeded, S + T + 5000, NONE, S + T + 5000);
    expect(before).toMatchObject({
      kind: VERDICT.bad,
      at: S + T,
      inProgress: true,
      violationEnd: S + T + 1,
    });
    expect(after).toMatchObject({
      kind: VERDICT.bad,
      at: S + T,
      inProgress: false,
      violationEnd: S + T + 5000,
    });
  });
});

describe("judge: in progress", () => {
  it("is pending at exactly T elapsed and bad 1 ms later", () => {
    expect(verdict(SUBJECT.inProgress, NONE, NONE, S + T)).toMatchObject({
      kind: VERDICT.pending,
      inProgress: true,
    });
    expect(verdict(SUBJECT.inProgress, NONE, NONE, S + T + 1)).toMatchObject({
      kind: VERDICT.bad,
      at: S + T,
      violationStart: S + T,
      violationEnd: S + T + 1,
    });
  });
  it("ignores attempts that start after `at`", () => {
    expect(verdict(SUBJECT.inProgress, NONE, NONE, S - 1)).toMatchObject({
      kind: VERDICT.none,
      inProgress: false,
    });
  });
  it("counts an attempt that starts exactly at `at`", () => {
    expect(verdict(SUBJECT.inProgress, NONE, NONE, S)).toMatchObject({
      kind: VERDICT.pending,
      inProgress: true,
    });
  });
});

describe("judge: failed, rolled back, timed out", () => {
  it("is bad when it ends, if before the threshold; the whole attempt is violation", () => {
    expect(verdict(SUBJECT.failed, NONE, S + 1000, S + 1000)).toMatchObject({
      kind: VERDICT.bad,
      at: S + 1000,
      violationStart: S,
      violationEnd: S + 1000,
    });
  });
  it("is bad at the threshold when it ends later", () => {
    expect(verdict(SUBJECT.failed, NONE, S + T + 9000, S + T + 9000)).toMatchObject({
      kind: VERDICT.bad,
      at: S + T,
    });
  });
  it("is pending while its end is 1 ms in the future and within the threshold", () => {
    expect(verdict(SUBJECT.failed, NONE, S + 1000, S + 999)).toMatchObject({
      kind: VERDICT.pending,
      inProgress: true,
    });
  });
  it("has no duration sample, even when it served before rolling back", () => {
    expect(verdict(SUBJECT.failed, S + 10, S + 1000, S + 2000).durationMs).toBeNaN();
  });
});

describe("judge: cancelled", () => {
  it("is excluded when cancelled within the threshold", () => {
    expect(verdict(SUBJECT.cancelled, NONE, S + T, S + T)).toMatchObject({
      kind: VERDICT.excluded,
      inProgress: false,
    });
  });
  it("stays bad when cancelled after crossing the threshold", () => {
    expect(verdict(SUBJECT.cancelled, NONE, S + T + 1, S + T + 1)).toMatchObject({
      kind: VERDICT.bad,
      at: S + T,
      violationStart: S + T,
      violationEnd: S + T + 1,
    });
  });
  it("skipped stages are always excluded", () => {
    expect(verdict(SUBJECT.skipped, NONE, S + 2 * T, S + 2 * T)).toMatchObject({
      kind: VERDICT.excluded,
    });
  });
});
