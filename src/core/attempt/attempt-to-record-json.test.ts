import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Attempt, Outcome, Stage } from "./attempt.js";
import { attemptToRecordJson } from "./attempt-to-record-json.js";
import { parseAttemptRecord } from "./parse-attempt-record.js";

const T0 = Date.UTC(2026, 9, 1, 10);

const minimal: Attempt = {
  id: "att-1",
  model: "fraud-detector",
  version: "7",
  environment: "production",
  labels: {},
  startedAt: T0,
  servingAt: null,
  endedAt: null,
  outcome: "in_progress",
  stages: [],
  dependencies: [],
  attributes: {},
};

describe("attemptToRecordJson", () => {
  it("writes the documented example record back as documented", () => {
    const record = {
      id: "att-1",
      model: "fraud-detector",
      version: "7",
      environment: "production",
      labels: { team: "risk" },
      startedAt: "2026-10-01T10:00:00.000Z",
      servingAt: "2026-10-01T10:03:12.500Z",
      endedAt: "2026-10-01T10:03:20.000Z",
      outcome: "succeeded",
      stages: [
        {
          name: "validate",
          startedAt: "2026-10-01T10:00:00.000Z",
          endedAt: "2026-10-01T10:00:04.000Z",
          status: "succeeded",
          kind: "active",
          attributes: { coldStart: "false" },
        },
      ],
      dependencies: [{ name: "registry_pull", seconds: 12.4 }],
    };
    const parsed = parseAttemptRecord(record);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const json = attemptToRecordJson(parsed.attempt);
    expect(json).toEqual(record);
    expect(JSON.stringify(json)).toBe(JSON.stringify(record));
  });

  it("omits absent and empty optional fields rather than writing null", () => {
    expect(attemptToRecordJson(minimal)).toStrictEqual({
      id: "att-1",
      model: "fraud-detector",
      version: "7",
      environment: "production",
      startedAt: "2026-10-01T10:00:00.000Z",
      outcome: "in_progress",
    });
    const running: Stage = {
      name: "provision",
      startedAt: T0,
      endedAt: null,
      status: "in_progress",
      kind: "wait",
      attributes: {},
    };
    const json = attemptToRecordJson({
      ...minimal,
      stages: [running],
      dependencies: [{ name: "image_pull", seconds: 0, at: null, attributes: {} }],
    });
    expect(json.stages).toStrictEqual([
      {
        name: "provision",
        startedAt: "2026-10-01T10:00:00.000Z",
        status: "in_progress",
        kind: "wait",
      },
    ]);
    expect(json.dependencies).toStrictEqual([{ name: "image_pull", seconds: 0 }]);
  });

  it("writes records that parseAttemptRecord reads back to an equal attempt", () => {
    const instant = fc.integer({ min: 0, max: 400 * 86_400_000 }).map((ms) => T0 + ms);
    const attributes = fc.dictionary(
      fc.string({ minLength: 1, maxLength: 6 }),
      fc.oneof(
        fc.string({ maxLength: 8 }),
        fc.integer(),
        fc.boolean(),
        fc
          .double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 })
          .filter((x) => !Object.is(x, -0)),
      ),
      { maxKeys: 3 },
    );
    const stage = fc
      .record({
        name: fc.string({ minLength: 1, maxLength: 12 }),
        startedAt: instant,
        length: fc.option(fc.integer({ min: 0, max: 3_600_000 })),
        status: fc.constantFrom(
          "succeeded",
          "failed",
          "timed_out",
          "cancelled",
          "skipped" as const,
        ),
        kind: fc.constantFrom("active", "wait" as const),
        attributes,
      })
      .map(
        ({ length, status, ...s }): Stage => ({
          ...s,
          endedAt: length === null ? null : s.startedAt + length,
          status: length === null ? "in_progress" : status,
        }),
      );
    const attempt = fc
      .record({
        id: fc.string({ minLength: 1, maxLength: 20 }),
        model: fc.string({ minLength: 1, maxLength: 20 }),
        version: fc.oneof(fc.string({ minLength: 1, maxLength: 5 }), fc.nat().map(String)),
        environment: fc.constantFrom("production", "staging"),
        labels: fc.dictionary(
          fc.string({ minLength: 1, maxLength: 6 }),
          fc.string({ maxLength: 6 }),
          {
            maxKeys: 3,
          },
        ),
        startedAt: instant,
        serving: fc.option(fc.integer({ min: 0, max: 3_600_000 })),
        ending: fc.option(fc.integer({ min: 0, max: 3_600_000 })),
        outcome: fc.constantFrom<Outcome>("failed", "rolled_back", "timed_out", "cancelled"),
        stages: fc.array(stage, { maxLength: 4 }),
        dependencies: fc.array(
          fc.record({
            name: fc.string({ minLength: 1, maxLength: 12 }),
            seconds: fc.integer({ min: 0, max: 1_000_000 }).map((ms) => ms / 1000),
            at: fc.option(instant),
            attributes,
          }),
          { maxLength: 3 },
        ),
        attributes,
      })
      .map(({ serving, ending, outcome, ...a }): Attempt => {
        const servingAt = serving === null ? null : a.startedAt + serving;
        const endedAt = ending === null ? null : (servingAt ?? a.startedAt) + ending;
        if (endedAt !== null) return { ...a, servingAt, endedAt, outcome };
        return {
          ...a,
          servingAt,
          endedAt,
          outcome: servingAt === null ? "in_progress" : "succeeded",
        };
      });
    fc.assert(
      fc.property(attempt, (a) => {
        const parsed = parseAttemptRecord(JSON.parse(JSON.stringify(attemptToRecordJson(a))));
        expect(parsed.ok ? [] : parsed.problems).toEqual([]);
        expect(parsed.ok && parsed.attempt).toEqual(a);
      }),
    );
  });
});
