import { describe, expect, it, vi } from "vitest";
import { parseAttemptEvent } from "./parse-attempt-event.js";

const AT = "2026-10-01T10:00:00.000Z";
const T = Date.UTC(2026, 9, 1, 10);
const head = { id: "ev-1", attemptId: "att-1", at: AT };

function parse(value: unknown) {
  return parseAttemptEvent(value, () => "assigned");
}

function problems(value: unknown): readonly string[] {
  const parsed = parse(value);
  return parsed.ok ? [] : parsed.problems;
}

describe("parseAttemptEvent", () => {
  it("reads an attempt.started event, with an integer version as a string", () => {
    const parsed = parse({
      ...head,
      type: "attempt.started",
      model: "fraud-detector",
      version: 7,
      environment: "production",
      labels: { team: "risk" },
      attributes: { trigger: "ci", gpu: true, replicas: 3 },
    });
    expect(parsed).toEqual({
      ok: true,
      event: {
        id: "ev-1",
        type: "attempt.started",
        attemptId: "att-1",
        at: T,
        model: "fraud-detector",
        version: "7",
        environment: "production",
        labels: { team: "risk" },
        attributes: { trigger: "ci", gpu: true, replicas: 3 },
      },
    });
  });

  it("reads stage events with their defaults", () => {
    expect(parse({ ...head, type: "stage.started", stage: "provision" })).toEqual({
      ok: true,
      event: {
        ...head,
        at: T,
        type: "stage.started",
        stage: "provision",
        kind: "active",
        attributes: {},
      },
    });
    expect(parse({ ...head, type: "stage.finished", stage: "provision" })).toEqual({
      ok: true,
      event: {
        ...head,
        at: T,
        type: "stage.finished",
        stage: "provision",
        status: "succeeded",
        startedAt: null,
        kind: null,
        attributes: {},
      },
    });
  });

  it("reads a one-event stage with its start, kind and status", () => {
    const parsed = parse({
      ...head,
      type: "stage.finished",
      stage: "approval",
      status: "timed_out",
      startedAt: "2026-10-01T09:30:00+00:00",
      kind: "wait",
      attributes: { approver: "oncall" },
    });
    expect(parsed.ok && parsed.event).toMatchObject({
      status: "timed_out",
      startedAt: T - 30 * 60_000,
      kind: "wait",
      attributes: { approver: "oncall" },
    });
  });

  it("reads serving, finished and dependency events", () => {
    expect(parse({ ...head, type: "attempt.serving" })).toEqual({
      ok: true,
      event: { ...head, at: T, type: "attempt.serving" },
    });
    expect(parse({ ...head, type: "attempt.finished", outcome: "rolled_back" })).toEqual({
      ok: true,
      event: { ...head, at: T, type: "attempt.finished", outcome: "rolled_back" },
    });
    const { at: _, ...noAt } = head;
    expect(parse({ ...noAt, type: "dependency.measured", name: "image_pull", seconds: 0 })).toEqual(
      {
        ok: true,
        event: {
          ...noAt,
          type: "dependency.measured",
          at: null,
          name: "image_pull",
          seconds: 0,
          attributes: {},
        },
      },
    );
  });

  it("asks for an id only when the event has none and is valid", () => {
    const assignId = vi.fn(() => "uuid-1");
    const { id: _, ...noId } = head;
    const serving = { ...noId, type: "attempt.serving" };
    expect(parseAttemptEvent(serving, assignId)).toMatchObject({
      ok: true,
      event: { id: "uuid-1" },
    });
    expect(parseAttemptEvent({ ...serving, id: null }, assignId)).toMatchObject({
      event: { id: "uuid-1" },
    });
    expect(assignId).toHaveBeenCalledTimes(2);
    parseAttemptEvent({ ...serving, id: "given" }, assignId);
    parseAttemptEvent({ ...noId, type: "attempt.serving", at: "soon" }, assignId);
    expect(assignId).toHaveBeenCalledTimes(2);
  });

  it("reads an optional field set to null as absent", () => {
    const parsed = parse({
      ...head,
      type: "stage.finished",
      stage: "x",
      status: null,
      startedAt: null,
      kind: null,
      attributes: null,
    });
    expect(parsed.ok && parsed.event).toMatchObject({ status: "succeeded", startedAt: null });
  });

  const started = { ...head, type: "attempt.started", model: "m", version: "1", environment: "e" };
  it.each([
    ["a string", 'an event must be a JSON object, got "a string"'],
    [[1, 2], "an event must be a JSON object, got [1,2]"],
    [null, "an event must be a JSON object, got null"],
    [{ ...head }, "type is required"],
    [
      { ...head, type: "stage.finish" },
      'type must be one of attempt.started, stage.started, stage.finished, attempt.serving, attempt.finished, dependency.measured, got "stage.finish" (did you mean "stage.finished"?)',
    ],
    [{ ...head, type: 3 }, expect.stringMatching(/^type must be one of .*, got 3$/)],
    [
      { ...head, type: "attempt.serving", attemptId: "" },
      'attemptId must be a non-empty string, got ""',
    ],
    [{ ...head, type: "attempt.serving", attemptId: undefined }, "attemptId is required"],
    [{ ...head, type: "attempt.serving", id: "" }, 'id must be a non-empty string, got ""'],
    [{ ...head, type: "attempt.serving", id: 7 }, "id must be a non-empty string, got 7"],
    [{ ...head, type: "attempt.serving", id: "x".repeat(257) }, "id is longer than 256 characters"],
    [{ ...head, type: "attempt.serving", at: undefined }, "at is required"],
    [{ ...head, type: "attempt.serving", at: null }, "at is required"],
    [
      { ...head, type: "attempt.serving", at: "2026-10-01 10:00" },
      'at must be an RFC 3339 timestamp with a time zone (2026-10-01T10:00:00Z), got "2026-10-01 10:00"',
    ],
    [
      { ...head, type: "attempt.serving", servingAt: AT },
      'servingAt is not a known field of attempt.serving events (did you mean "at"?)',
    ],
    [
      { ...head, type: "attempt.serving", attemptid: "x" },
      'attemptid is not a known field of attempt.serving events (did you mean "attemptId"?)',
    ],
    [
      { ...head, type: "stage.started", stage: "x", labels: {} },
      "labels is not a known field of stage.started events",
    ],
    [{ ...started, model: undefined }, "model is required"],
    [{ ...started, environment: "" }, 'environment must be a non-empty string, got ""'],
    [{ ...started, version: undefined }, "version is required"],
    [{ ...started, version: 1.5 }, "version must be a non-empty string or an integer, got 1.5"],
    [{ ...started, version: "v".repeat(257) }, "version is longer than 256 characters"],
    [{ ...started, labels: { team: 7 } }, "labels.team must be a string, got 7"],
    [{ ...started, labels: "risk" }, 'labels must be an object of string values, got "risk"'],
    [
      { ...started, labels: { "": "x" } },
      "labels has a key of length 0: keys are 1–256 characters",
    ],
    [
      { ...started, labels: { team: "x".repeat(1025) } },
      "labels.team is longer than 1024 characters",
    ],
    [
      { ...started, attributes: { a: null } },
      "attributes.a must be a string, number or boolean, got null",
    ],
    [
      { ...started, attributes: [] },
      "attributes must be an object of string, number or boolean values",
    ],
    [
      { ...started, modle: "m" },
      'modle is not a known field of attempt.started events (did you mean "model"?)',
    ],
    [{ ...head, type: "stage.started" }, "stage is required"],
    [
      { ...head, type: "stage.started", stage: "x", kind: "idle" },
      'kind must be active or wait, got "idle"',
    ],
    [
      { ...head, type: "stage.finished", stage: "x", status: "done" },
      'status must be one of succeeded, failed, timed_out, cancelled, skipped, got "done"',
    ],
    [
      { ...head, type: "stage.finished", stage: "x", status: "in_progress" },
      "status in_progress is not an end: send stage.finished once the stage has ended",
    ],
    [
      { ...head, type: "stage.finished", stage: "x", startedAt: "2026-10-01T10:00:00.001Z" },
      "startedAt is after at",
    ],
    [
      { ...head, type: "stage.finished", stage: "x", startedAt: 5 },
      "startedAt must be an RFC 3339 timestamp with a time zone (2026-10-01T10:00:00Z), got 5",
    ],
    [
      { ...head, type: "stage.finished", stage: "x", startdAt: AT },
      'startdAt is not a known field of stage.finished events (did you mean "startedAt"?)',
    ],
    [{ ...head, type: "attempt.finished" }, "outcome is required"],
    [
      { ...head, type: "attempt.finished", outcome: "done" },
      'outcome must be one of succeeded, failed, rolled_back, timed_out, cancelled, got "done"',
    ],
    [
      { ...head, type: "attempt.finished", outcome: "in_progress" },
      "outcome in_progress is not an end: send attempt.finished once the attempt has ended",
    ],
    [
      { ...head, type: "attempt.finished", outcome: "failed", endedAt: AT },
      'endedAt is not a known field of attempt.finished events (did you mean "at"?)',
    ],
    [{ ...head, type: "dependency.measured", seconds: 1 }, "name is required"],
    [{ ...head, type: "dependency.measured", name: "x" }, "seconds is required"],
    [
      { ...head, type: "dependency.measured", name: "x", seconds: -0.5 },
      "seconds must be a number ≥ 0, got -0.5",
    ],
    [
      { ...head, type: "dependency.measured", name: "x", seconds: "3" },
      'seconds must be a number ≥ 0, got "3"',
    ],
  ])("reports %j as %j", (event, message) => {
    expect(problems(event)).toContainEqual(message);
  });

  it("reports every problem of an event, up to ten", () => {
    expect(problems({ type: "attempt.started" })).toEqual([
      "attemptId is required",
      "at is required",
      "model is required",
      "version is required",
      "environment is required",
    ]);
    const many = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`extra${i}`, i]));
    expect(problems({ ...started, ...many })).toHaveLength(10);
  });
});
