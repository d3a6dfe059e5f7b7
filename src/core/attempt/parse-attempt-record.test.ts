import { describe, expect, it } from "vitest";
import { parseAttemptRecord } from "./parse-attempt-record.js";

const base = {
  id: "att-1",
  model: "fraud-detector",
  version: "7",
  environment: "production",
  startedAt: "2026-10-01T10:00:00.000Z",
};

function problems(record: unknown): readonly string[] {
  const parsed = parseAttemptRecord(record);
  return parsed.ok ? [] : parsed.problems;
}

describe("parseAttemptRecord", () => {
  it("reads the full example record", () => {
    const parsed = parseAttemptRecord({
      ...base,
      labels: { team: "risk" },
      servingAt: "2026-10-01T10:03:12.500Z",
      endedAt: "2026-10-01T10:03:20.000Z",
      outcome: "succeeded",
      stages: [
        {
          name: "validate",
          startedAt: "2026-10-01T10:00:00.000Z",
          endedAt: "2026-10-01T10:00:05.000Z",
          status: "succeeded",
          kind: "active",
          attributes: { coldStart: "false", bytes: 1024, gpu: true },
        },
      ],
      dependencies: [{ name: "registry_pull", seconds: 12.4 }],
    });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.attempt).toMatchObject({
      id: "att-1",
      startedAt: Date.UTC(2026, 9, 1, 10),
      servingAt: Date.UTC(2026, 9, 1, 10, 3, 12, 500),
      outcome: "succeeded",
      labels: { team: "risk" },
      stages: [
        {
          name: "validate",
          status: "succeeded",
          kind: "active",
          endedAt: Date.UTC(2026, 9, 1, 10, 0, 5),
        },
      ],
      dependencies: [{ name: "registry_pull", seconds: 12.4, at: null }],
    });
  });

  it("defaults the outcome from servingAt", () => {
    const served = parseAttemptRecord({ ...base, servingAt: "2026-10-01T10:01:00Z" });
    const running = parseAttemptRecord(base);
    expect(served.ok && served.attempt.outcome).toBe("succeeded");
    expect(running.ok && running.attempt.outcome).toBe("in_progress");
  });

  it("accepts an integer version, as registries number them", () => {
    const parsed = parseAttemptRecord({ ...base, version: 12 });
    expect(parsed.ok && parsed.attempt.version).toBe("12");
  });

  it.each([
    [{ ...base, servingAt: "2026-10-01T09:59:59.999Z" }, "servingAt is before startedAt"],
    [{ ...base, outcome: "failed" }, "outcome failed requires endedAt (when the attempt ended)"],
    [
      { ...base, outcome: "succeeded" },
      "outcome succeeded requires servingAt (when the first inference was served)",
    ],
    [
      { ...base, outcome: "done" },
      'outcome must be one of succeeded, failed, rolled_back, timed_out, cancelled, in_progress, got "done"',
    ],
    [
      { ...base, startedAt: "2026-10-01 10:00" },
      'startedAt must be an RFC 3339 timestamp with a time zone (2026-10-01T10:00:00Z), got "2026-10-01 10:00"',
    ],
    [
      { ...base, servingat: "2026-10-01T10:01:00Z" },
      'servingat is not a known field (did you mean "servingAt"?)',
    ],
    [{ ...base, model: "" }, 'model must be a non-empty string, got ""'],
    [{ ...base, labels: { team: 7 } }, "labels.team must be a string, got 7"],
    [
      { ...base, outcome: "in_progress", endedAt: "2026-10-01T10:01:00Z" },
      "outcome in_progress contradicts endedAt: omit one of them",
    ],
    [
      { ...base, servingAt: "2026-10-01T10:05:00Z", endedAt: "2026-10-01T10:04:00Z" },
      "endedAt is before servingAt",
    ],
    [
      {
        ...base,
        stages: [{ name: "x", startedAt: "2026-10-01T10:02:00Z", endedAt: "2026-10-01T10:01:00Z" }],
      },
      "stages[0].endedAt is before stages[0].startedAt",
    ],
    [
      { ...base, stages: [{ name: "x", startedAt: "2026-10-01T10:02:00Z", kind: "idle" }] },
      'stages[0].kind must be active or wait, got "idle"',
    ],
    [
      { ...base, stages: [{ name: "x", startedAt: "2026-10-01T10:02:00Z", status: "failed" }] },
      "stages[0].status failed requires stages[0].endedAt",
    ],
    [
      { ...base, dependencies: [{ name: "image_pull", seconds: -1 }] },
      "dependencies[0].seconds must be a number ≥ 0, got -1",
    ],
    [{ ...base, dependencies: {} }, "dependencies must be an array, got {}"],
    ["just a string", 'a record must be a JSON object, got "just a string"'],
  ])("reports %j as %j", (record, message) => {
    expect(problems(record)).toContain(message);
  });

  it("reports every required field that is missing, and the id when known", () => {
    const parsed = parseAttemptRecord({ id: "x" });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.id).toBe("x");
    expect(parsed.problems).toEqual([
      "model is required",
      "environment is required",
      "version is required",
      "startedAt is required",
    ]);
  });

  it("caps the number of problems reported for one record", () => {
    const stages = Array.from({ length: 50 }, () => ({ name: 1 }));
    expect(problems({ ...base, stages }).length).toBe(10);
  });
});
