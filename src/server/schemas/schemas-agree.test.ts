import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ATTEMPT_EVENT_TYPES, type AttemptEventType } from "../../core/attempt/attempt-event.js";
import {
  type AttemptRecordJson,
  attemptToRecordJson,
} from "../../core/attempt/attempt-to-record-json.js";
import { foldAttemptEvents } from "../../core/attempt/fold-attempt-events.js";
import { parseAttemptEvent } from "../../core/attempt/parse-attempt-event.js";
import { parseAttemptRecord } from "../../core/attempt/parse-attempt-record.js";
import { AttemptEventBatchSchema, AttemptEventSchema } from "./attempt-event-schema.js";
import {
  AttemptRecordBatchSchema,
  type AttemptRecordInput,
  AttemptRecordSchema,
} from "./attempt-record-schema.js";

/*
 * The zod schemas document the wire formats; the hand-written parsers validate them. Both must
 * accept exactly the same values. The cross-field rules (servingAt/endedAt not before
 * startedAt, endedAt not before servingAt, what each outcome requires, a stage's status
 * against its endedAt, a one-event stage's startedAt not after its at) are encoded in the
 * schemas with superRefine, so no rule is parser-only and every case below compares both.
 *
 * One known difference, in the parser: parseAttemptRecord reads a required timestamp set to
 * null (`startedAt: null`, `stages[i].startedAt: null`) as NaN instead of reporting it. The
 * schema rejects it; until the parser is fixed those values are checked against the schema
 * only (PARSER_GAPS).
 */

// The core's JSON writer produces what the schema describes.
const _writerFitsSchema: (json: AttemptRecordJson) => AttemptRecordInput = (json) => json;

function recordAgreement(value: unknown) {
  const parser = parseAttemptRecord(value);
  return { parser: parser.ok, zod: AttemptRecordSchema.safeParse(value).success };
}

function eventAgreement(value: unknown) {
  const parser = parseAttemptEvent(value, () => "assigned");
  return { parser: parser.ok, zod: AttemptEventSchema.safeParse(value).success };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function expectRecordAgreement(value: unknown): boolean {
  const { parser, zod } = recordAgreement(value);
  expect({ value, zod }).toEqual({ value, zod: parser });
  return parser;
}

function expectEventAgreement(value: unknown): boolean {
  const { parser, zod } = eventAgreement(value);
  expect({ value, zod }).toEqual({ value, zod: parser });
  return parser;
}

// Tables ---------------------------------------------------------------------------------------

const AT = "2026-10-01T10:00:00.000Z";
const LATER = "2026-10-01T10:05:00.000Z";
const LATEST = "2026-10-01T10:09:00.000Z";
const record = { id: "att-1", model: "m", version: "7", environment: "production", startedAt: AT };
const st = { name: "validate", startedAt: AT };
const dep = { name: "registry_pull", seconds: 12.4 };
const long = (n: number) => "x".repeat(n);

const RECORDS: ReadonlyArray<readonly [string, unknown, boolean]> = [
  ["minimal", record, true],
  ["served", { ...record, servingAt: LATER }, true],
  [
    "the documented example",
    {
      ...record,
      labels: { team: "risk" },
      servingAt: LATER,
      endedAt: LATEST,
      outcome: "succeeded",
      stages: [{ ...st, endedAt: LATER, status: "succeeded", kind: "active", attributes: {} }],
      dependencies: [dep],
      attributes: { gpu: true, replicas: 3, runtime: "triton" },
    },
    true,
  ],
  ["integer version", { ...record, version: 12 }, true],
  ["negative integer version", { ...record, version: -3 }, true],
  ["fractional version", { ...record, version: 1.5 }, false],
  ["empty version", { ...record, version: "" }, false],
  ["257-character version", { ...record, version: long(257) }, false],
  ["256-character id", { ...record, id: long(256) }, true],
  ["257-character id", { ...record, id: long(257) }, false],
  ["missing id", { ...record, id: undefined }, false],
  ["empty model", { ...record, model: "" }, false],
  ["null environment", { ...record, environment: null }, false],
  ["numeric model", { ...record, model: 5 }, false],
  ["missing startedAt", { ...record, startedAt: undefined }, false],
  ["startedAt without a zone", { ...record, startedAt: "2026-10-01T10:00:00" }, false],
  ["startedAt on Feb 30", { ...record, startedAt: "2026-02-30T10:00:00Z" }, false],
  ["startedAt at hour 24", { ...record, startedAt: "2026-10-01T24:00:00Z" }, false],
  ["startedAt as a number", { ...record, startedAt: 1790848800000 }, false],
  [
    "startedAt with a space and an offset",
    { ...record, startedAt: "2026-10-01 12:00:00+02:00" },
    true,
  ],
  ["startedAt lower-case t and z", { ...record, startedAt: "2026-10-01t10:00:00z" }, true],
  ["startedAt on a leap second", { ...record, startedAt: "2026-12-31T23:59:60Z" }, true],
  ["startedAt with nanoseconds", { ...record, startedAt: "2026-10-01T10:00:00.123456789Z" }, true],
  ["startedAt with an empty fraction", { ...record, startedAt: "2026-10-01T10:00:00.Z" }, false],
  [
    "null optional fields",
    {
      ...record,
      labels: null,
      servingAt: null,
      endedAt: null,
      outcome: null,
      stages: null,
      dependencies: null,
      attributes: null,
    },
    true,
  ],
  ["unknown field", { ...record, servingat: LATER }, false],
  ["labels of a number", { ...record, labels: { team: 7 } }, false],
  ["labels as an array", { ...record, labels: [] }, false],
  ["label with an empty key", { ...record, labels: { "": "x" } }, false],
  ["label with a 257-character key", { ...record, labels: { [long(257)]: "x" } }, false],
  ["label of 1024 characters", { ...record, labels: { team: long(1024) } }, true],
  ["label of 1025 characters", { ...record, labels: { team: long(1025) } }, false],
  ["attribute of null", { ...record, attributes: { a: null } }, false],
  ["attribute of an object", { ...record, attributes: { a: {} } }, false],
  ["attribute of 1025 characters", { ...record, attributes: { a: long(1025) } }, false],
  ["attribute with an empty key", { ...record, attributes: { "": 1 } }, true],
  ["attributes as a string", { ...record, attributes: "x" }, false],
  ["servingAt before startedAt", { ...record, servingAt: "2026-10-01T09:59:59.999Z" }, false],
  ["servingAt equal to startedAt", { ...record, servingAt: AT }, true],
  [
    "endedAt before startedAt",
    { ...record, outcome: "failed", endedAt: "2026-10-01T09:00:00Z" },
    false,
  ],
  ["endedAt before servingAt", { ...record, servingAt: LATEST, endedAt: LATER }, false],
  ["succeeded without servingAt", { ...record, outcome: "succeeded" }, false],
  ["failed without endedAt", { ...record, outcome: "failed" }, false],
  ["rolled_back without endedAt", { ...record, servingAt: LATER, outcome: "rolled_back" }, false],
  [
    "rolled_back after serving",
    { ...record, servingAt: LATER, endedAt: LATEST, outcome: "rolled_back" },
    true,
  ],
  ["timed_out with endedAt", { ...record, endedAt: LATER, outcome: "timed_out" }, true],
  ["cancelled without endedAt", { ...record, outcome: "cancelled" }, false],
  ["in_progress with endedAt", { ...record, outcome: "in_progress", endedAt: LATER }, false],
  ["in_progress with servingAt", { ...record, outcome: "in_progress", servingAt: LATER }, false],
  ["in_progress, explicitly", { ...record, outcome: "in_progress" }, true],
  ["endedAt alone (defaults to in_progress)", { ...record, endedAt: LATER }, false],
  ["unknown outcome", { ...record, outcome: "done" }, false],
  ["stages as an object", { ...record, stages: {} }, false],
  ["stage as a string", { ...record, stages: ["validate"] }, false],
  ["stage running", { ...record, stages: [st] }, true],
  ["stage without a name", { ...record, stages: [{ startedAt: AT }] }, false],
  ["stage without startedAt", { ...record, stages: [{ name: "x" }] }, false],
  [
    "stage ending before it starts",
    { ...record, stages: [{ ...st, startedAt: LATER, endedAt: AT }] },
    false,
  ],
  [
    "stage ending outside the attempt",
    {
      ...record,
      stages: [{ ...st, startedAt: "2026-10-01T09:00:00Z", endedAt: "2026-10-02T09:00:00Z" }],
    },
    true,
  ],
  ["stage failed without endedAt", { ...record, stages: [{ ...st, status: "failed" }] }, false],
  [
    "stage in_progress with endedAt",
    { ...record, stages: [{ ...st, status: "in_progress", endedAt: LATER }] },
    false,
  ],
  [
    "stage in_progress, explicitly",
    { ...record, stages: [{ ...st, status: "in_progress" }] },
    true,
  ],
  ["stage skipped", { ...record, stages: [{ ...st, status: "skipped", endedAt: AT }] }, true],
  ["stage status null", { ...record, stages: [{ ...st, status: null }] }, false],
  ["stage kind idle", { ...record, stages: [{ ...st, kind: "idle" }] }, false],
  ["stage kind null", { ...record, stages: [{ ...st, kind: null }] }, false],
  ["stage kind wait", { ...record, stages: [{ ...st, kind: "wait" }] }, true],
  ["stage endedAt null", { ...record, stages: [{ ...st, endedAt: null, attributes: null }] }, true],
  ["stage unknown field", { ...record, stages: [{ ...st, duration: 4 }] }, false],
  ["dependency without seconds", { ...record, dependencies: [{ name: "x" }] }, false],
  ["dependency of negative seconds", { ...record, dependencies: [{ ...dep, seconds: -1 }] }, false],
  ["dependency of zero seconds", { ...record, dependencies: [{ ...dep, seconds: 0 }] }, true],
  ["dependency of string seconds", { ...record, dependencies: [{ ...dep, seconds: "1" }] }, false],
  [
    "dependency with at",
    { ...record, dependencies: [{ ...dep, at: LATER, attributes: { a: 1 } }] },
    true,
  ],
  ["dependency with a bad at", { ...record, dependencies: [{ ...dep, at: "later" }] }, false],
  ["dependency unknown field", { ...record, dependencies: [{ ...dep, ms: 1 }] }, false],
  ["dependencies as an object", { ...record, dependencies: {} }, false],
  ["a string", "att-1", false],
  ["null", null, false],
  ["an array", [record], false],
];

const head = { id: "ev-1", attemptId: "att-1", at: AT };
const started = { ...head, type: "attempt.started", model: "m", version: "7", environment: "e" };
const finish = { ...head, type: "stage.finished", stage: "validate" };
const measured = { ...head, type: "dependency.measured", name: "image_pull", seconds: 3 };

const EVENTS: ReadonlyArray<readonly [string, unknown, boolean]> = [
  ["attempt.started", started, true],
  [
    "attempt.started, in full",
    { ...started, version: 8, labels: { team: "risk" }, attributes: { ci: true } },
    true,
  ],
  ["attempt.started without model", { ...started, model: undefined }, false],
  ["attempt.started without version", { ...started, version: undefined }, false],
  ["attempt.started with a fractional version", { ...started, version: 7.5 }, false],
  ["attempt.started without environment", { ...started, environment: undefined }, false],
  ["attempt.started without at", { ...started, at: undefined }, false],
  ["attempt.started with at null", { ...started, at: null }, false],
  ["attempt.started with a bad at", { ...started, at: "2026-10-01" }, false],
  ["attempt.started with bad labels", { ...started, labels: { team: 1 } }, false],
  ["attempt.started with a stage", { ...started, stage: "x" }, false],
  ["attempt.started with startedAt", { ...started, startedAt: AT }, false],
  ["without an id", { ...started, id: undefined }, true],
  ["with id null", { ...started, id: null }, true],
  ["with an empty id", { ...started, id: "" }, false],
  ["with a numeric id", { ...started, id: 1 }, false],
  ["with a 257-character id", { ...started, id: long(257) }, false],
  ["without attemptId", { ...started, attemptId: undefined }, false],
  ["with attemptId null", { ...started, attemptId: null }, false],
  ["without type", { ...head }, false],
  ["of an unknown type", { ...head, type: "attempt.promoted" }, false],
  ["of a numeric type", { ...head, type: 1 }, false],
  ["stage.started", { ...head, type: "stage.started", stage: "x" }, true],
  [
    "stage.started, wait",
    { ...head, type: "stage.started", stage: "x", kind: "wait", attributes: { a: "b" } },
    true,
  ],
  [
    "stage.started with kind null",
    { ...head, type: "stage.started", stage: "x", kind: null },
    true,
  ],
  [
    "stage.started with kind idle",
    { ...head, type: "stage.started", stage: "x", kind: "idle" },
    false,
  ],
  ["stage.started without stage", { ...head, type: "stage.started" }, false],
  [
    "stage.started with a status",
    { ...head, type: "stage.started", stage: "x", status: "succeeded" },
    false,
  ],
  ["stage.finished", finish, true],
  [
    "stage.finished, in full",
    {
      ...finish,
      status: "failed",
      startedAt: "2026-10-01T09:00:00Z",
      kind: "wait",
      attributes: { a: 1 },
    },
    true,
  ],
  [
    "stage.finished with nulls",
    { ...finish, status: null, startedAt: null, kind: null, attributes: null },
    true,
  ],
  ["stage.finished in_progress", { ...finish, status: "in_progress" }, false],
  ["stage.finished with an unknown status", { ...finish, status: "ok" }, false],
  ["stage.finished starting after it ends", { ...finish, startedAt: LATER }, false],
  ["stage.finished starting as it ends", { ...finish, startedAt: AT }, true],
  ["stage.finished with a bad startedAt", { ...finish, startedAt: "yesterday" }, false],
  ["stage.finished with endedAt", { ...finish, endedAt: AT }, false],
  ["attempt.serving", { ...head, type: "attempt.serving" }, true],
  ["attempt.serving without at", { ...head, type: "attempt.serving", at: undefined }, false],
  ["attempt.serving with attributes", { ...head, type: "attempt.serving", attributes: {} }, false],
  ["attempt.finished", { ...head, type: "attempt.finished", outcome: "cancelled" }, true],
  ["attempt.finished without outcome", { ...head, type: "attempt.finished" }, false],
  [
    "attempt.finished in_progress",
    { ...head, type: "attempt.finished", outcome: "in_progress" },
    false,
  ],
  [
    "attempt.finished with outcome null",
    { ...head, type: "attempt.finished", outcome: null },
    false,
  ],
  ["dependency.measured", measured, true],
  ["dependency.measured without at", { ...measured, at: undefined }, true],
  ["dependency.measured with at null", { ...measured, at: null, attributes: { a: true } }, true],
  ["dependency.measured with a bad at", { ...measured, at: "now" }, false],
  ["dependency.measured without seconds", { ...measured, seconds: undefined }, false],
  ["dependency.measured of negative seconds", { ...measured, seconds: -0.001 }, false],
  ["dependency.measured without name", { ...measured, name: undefined }, false],
  ["dependency.measured with an empty name", { ...measured, name: "" }, false],
  ["dependency.measured with bad attributes", { ...measured, attributes: { a: [1] } }, false],
  ["a string", "attempt.started", false],
  ["null", null, false],
  ["an array", [started], false],
];

describe("schemas and parsers agree on the tables", () => {
  it.each(RECORDS)("record: %s", (_, value, valid) => {
    const json = JSON.parse(JSON.stringify(value));
    expect(recordAgreement(json)).toEqual({ parser: valid, zod: valid });
  });

  it.each(EVENTS)("event: %s", (_, value, valid) => {
    const json = JSON.parse(JSON.stringify(value));
    expect(eventAgreement(json)).toEqual({ parser: valid, zod: valid });
  });

  it("both reject a required timestamp set to null", () => {
    for (const value of [
      { ...record, startedAt: null },
      { ...record, stages: [{ ...st, startedAt: null }] },
    ]) {
      expect(expectRecordAgreement(value)).toBe(false);
    }
  });

  it("takes one value or an array of them as a batch", () => {
    expect(AttemptRecordBatchSchema.safeParse(record).success).toBe(true);
    expect(AttemptRecordBatchSchema.safeParse([record, { ...record, id: "b" }]).success).toBe(true);
    expect(AttemptRecordBatchSchema.safeParse([record, { ...record, id: "" }]).success).toBe(false);
    expect(AttemptEventBatchSchema.safeParse(started).success).toBe(true);
    expect(AttemptEventBatchSchema.safeParse([started, finish]).success).toBe(true);
    expect(AttemptEventBatchSchema.safeParse([started, { ...finish, at: 1 }]).success).toBe(false);
  });

  it("converts to JSON Schema for the OpenAPI document, unknown fields rejected", () => {
    for (const target of ["draft-2020-12", "openapi-3.0"] as const) {
      for (const io of ["input", "output"] as const) {
        expect(() => z.toJSONSchema(AttemptRecordBatchSchema, { io, target })).not.toThrow();
        expect(() => z.toJSONSchema(AttemptEventBatchSchema, { io, target })).not.toThrow();
      }
    }
    const json = JSON.stringify(z.toJSONSchema(AttemptRecordSchema, { io: "input" }));
    expect(json).toContain('"additionalProperties":false');
    expect(json).toContain("the SLO timer starts");
    const events = z.toJSONSchema(AttemptEventSchema, { io: "input" }) as {
      $defs?: { AttemptEvent?: { oneOf?: unknown[] } };
    };
    expect(events.$defs?.AttemptEvent?.oneOf).toHaveLength(ATTEMPT_EVENT_TYPES.length);
  });
});

// Generated values ---------------------------------------------------------------------------

const T0 = Date.UTC(2026, 9, 1, 10);

/** One instant written in any of the forms RFC 3339 allows and parseTimestamp reads. */
const timestamp = (ms: number): fc.Arbitrary<string> =>
  fc
    .record({
      offset: fc.constantFrom(0, 0, 120, -330, 59),
      separator: fc.constantFrom("T", "t", " "),
      zulu: fc.constantFrom("Z", "z"),
      extra: fc.constantFrom("", "", "4", "999999"),
    })
    .map(({ offset, separator, zulu, extra }) => {
      const iso = new Date(ms + offset * 60_000).toISOString();
      const fraction =
        iso.slice(19, 23) === ".000" && extra === "" ? "" : `${iso.slice(19, 23)}${extra}`;
      const sign = offset < 0 ? "-" : "+";
      const abs = Math.abs(offset);
      const zone =
        offset === 0
          ? zulu
          : `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
      return `${iso.slice(0, 10)}${separator}${iso.slice(11, 19)}${fraction}${zone}`;
    });

const name = fc.oneof(
  fc.constantFrom("validate", "fraud-detector", "registry_pull", "production"),
  fc.string({ minLength: 1, maxLength: 12 }),
);
const attributeValues = fc.dictionary(
  fc.string({ maxLength: 6 }).filter((k) => k !== "__proto__"),
  fc.oneof(
    fc.string({ maxLength: 8 }),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
  ),
  { maxKeys: 3 },
);
const labelValues = fc.dictionary(
  fc.string({ minLength: 1, maxLength: 6 }).filter((k) => k !== "__proto__"),
  fc.string({ maxLength: 8 }),
  { maxKeys: 3 },
);
const version = fc.oneof(name, fc.integer());
/** An optional field: absent, null, or a value. */
function optional<T>(value: fc.Arbitrary<T>): fc.Arbitrary<T | null | undefined> {
  return fc.oneof(fc.constant(undefined), fc.constant(null), value);
}
/** Drops keys holding undefined, as JSON would. */
function json<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}

const validStage = fc
  .record({
    name,
    start: fc.integer({ min: -3_600_000, max: 3_600_000 }),
    length: fc.option(fc.integer({ min: 0, max: 600_000 })),
    status: fc.constantFrom("succeeded", "failed", "timed_out", "cancelled", "skipped", undefined),
    kind: fc.constantFrom("active", "wait", undefined),
    attributes: optional(attributeValues),
  })
  .chain(({ start, length, status, ...rest }) =>
    fc.record({
      startedAt: timestamp(T0 + start),
      endedAt: length === null ? fc.constantFrom(undefined, null) : timestamp(T0 + start + length),
      status: fc.constant(length === null ? undefined : status),
      ...Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, fc.constant(v)])),
    }),
  );

const validRecord: fc.Arbitrary<Record<string, unknown>> = fc
  .record({
    id: name,
    model: name,
    version,
    environment: name,
    labels: optional(labelValues),
    serving: fc.option(fc.integer({ min: 0, max: 3_600_000 })),
    ending: fc.option(fc.integer({ min: 0, max: 3_600_000 })),
    endOutcome: fc.constantFrom("failed", "rolled_back", "timed_out", "cancelled", "succeeded"),
    explicitOutcome: fc.boolean(),
    stages: optional(fc.array(validStage, { maxLength: 3 })),
    dependencies: optional(
      fc.array(
        fc.record({
          name,
          seconds: fc.oneof(fc.nat(), fc.double({ min: 0, noNaN: true, noDefaultInfinity: true })),
          at: optional(timestamp(T0 + 5000)),
          attributes: optional(attributeValues),
        }),
        { maxLength: 2 },
      ),
    ),
    attributes: optional(attributeValues),
  })
  .chain(({ serving, ending, endOutcome, explicitOutcome, ...rest }) => {
    const servingAt = serving === null ? null : T0 + serving;
    const endedAt = ending === null ? null : (servingAt ?? T0) + ending;
    let outcome: string = servingAt === null ? "in_progress" : "succeeded";
    if (endedAt !== null && (servingAt !== null || endOutcome !== "succeeded"))
      outcome = endOutcome;
    return fc.record({
      startedAt: timestamp(T0),
      servingAt: servingAt === null ? fc.constantFrom(undefined, null) : timestamp(servingAt),
      endedAt:
        endedAt === null || outcome === "in_progress" ? fc.constant(undefined) : timestamp(endedAt),
      outcome: fc.constant(
        explicitOutcome
          ? outcome
          : outcome === "succeeded" || outcome === "in_progress"
            ? undefined
            : outcome,
      ),
      ...Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, fc.constant(v)])),
    });
  })
  .map(json);

const EVENT_FIELDS: Record<AttemptEventType, readonly string[]> = {
  "attempt.started": ["model", "version", "environment", "labels", "attributes"],
  "stage.started": ["stage", "kind", "attributes"],
  "stage.finished": ["stage", "status", "startedAt", "kind", "attributes"],
  "attempt.serving": [],
  "attempt.finished": ["outcome"],
  "dependency.measured": ["name", "seconds", "attributes"],
};

const validEvent: fc.Arbitrary<Record<string, unknown>> = fc
  .record({
    id: optional(name),
    attemptId: name,
    at: timestamp(T0),
    type: fc.constantFrom(...ATTEMPT_EVENT_TYPES),
    model: name,
    version,
    environment: name,
    labels: optional(labelValues),
    attributes: optional(attributeValues),
    stage: name,
    kind: optional(fc.constantFrom("active", "wait")),
    status: optional(fc.constantFrom("succeeded", "failed", "timed_out", "cancelled", "skipped")),
    startedAt: optional(timestamp(T0 - 60_000)),
    outcome: fc.constantFrom("succeeded", "failed", "rolled_back", "timed_out", "cancelled"),
    name,
    seconds: fc.oneof(fc.nat(), fc.double({ min: 0, noNaN: true, noDefaultInfinity: true })),
    dependencyAt: optional(timestamp(T0)),
  })
  .map(({ dependencyAt, ...all }) => {
    const fields = [...["id", "type", "attemptId", "at"], ...EVENT_FIELDS[all.type]];
    const event = Object.fromEntries(fields.map((k) => [k, all[k as keyof typeof all]]));
    return all.type === "dependency.measured" ? { ...event, at: dependencyAt } : event;
  })
  .map(json);

const ODD_VALUES: readonly unknown[] = [
  null,
  0,
  -1,
  1.5,
  "",
  "x",
  long(257),
  long(1025),
  true,
  [],
  [1],
  {},
  { a: 1 },
  { "": "x" },
  AT,
  "2026-10-01T10:00:00",
  "2026-02-29T10:00:00Z",
  "2026-10-01T10:00:00.Z",
  "2026-10-01T10:60:00Z",
  "2026-10-01T10:00:00+2:00",
  " 2026-10-01T10:00:00Z",
  "1969-12-31T23:59:59.999Z",
  "2099-01-01T00:00:00Z",
  "succeeded",
  "failed",
  "in_progress",
  "wait",
  "attempt.finished",
];

type Path = readonly (string | number)[];

/** Every path to a value inside a JSON value (objects and arrays, the root excluded). */
function paths(value: unknown, prefix: Path = []): Path[] {
  if (Array.isArray(value))
    return value.flatMap((v, i) => [[...prefix, i], ...paths(v, [...prefix, i])]);
  if (isObject(value)) {
    return Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...paths(v, [...prefix, k])]);
  }
  return [];
}

/** Every object inside a JSON value, the root included, as paths. */
function objectPaths(value: unknown): Path[] {
  return [[], ...paths(value)].filter((p) => isObject(get(value, p)));
}

function get(value: unknown, path: Path): unknown {
  let at = value;
  for (const key of path)
    at =
      isObject(at) || Array.isArray(at) ? (at as Record<string | number, unknown>)[key] : undefined;
  return at;
}

/** A copy of `value` with the node at `path` replaced (or removed, for `undefined`). */
function set(value: unknown, path: Path, replacement: unknown): unknown {
  const [key, ...rest] = path;
  if (key === undefined) return replacement;
  if (Array.isArray(value)) {
    const copy = [...value];
    copy[key as number] = set(copy[key as number], rest, replacement);
    return copy.filter((v) => v !== undefined);
  }
  const copy = { ...(value as Record<string, unknown>) };
  const next = set(copy[key], rest, replacement);
  if (next === undefined) delete copy[key];
  else copy[key] = next;
  return copy;
}

/** A valid value made wrong (or, by chance, still right) in one place. */
function mutated(valid: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<unknown> {
  return valid.chain((value) => {
    const all = paths(value);
    const objects = objectPaths(value);
    const some = <T>(list: readonly T[]) => fc.constantFrom(...list);
    const mutations: fc.Arbitrary<unknown>[] = [
      // an unknown field, maybe a near-miss of a known one
      fc
        .tuple(
          some(objects),
          fc.oneof(
            fc.constantFrom(
              "servingat",
              "startedat",
              "ended",
              "Model",
              "labels",
              "kind",
              "stages",
              "at",
            ),
            fc.string({ minLength: 1, maxLength: 8 }).filter((k) => k !== "__proto__"),
          ),
          some(ODD_VALUES),
        )
        .map(([path, key, v]) => set(value, [...path, key], v)),
    ];
    if (all.length > 0) {
      // a field or an item dropped, or given a value of another type or form
      mutations.push(some(all).map((path) => set(value, path, undefined)));
      mutations.push(fc.tuple(some(all), some(ODD_VALUES)).map(([path, v]) => set(value, path, v)));
      // a timestamp nudged, to cross the cross-field rules
      const times = all.filter(
        (p) => typeof get(value, p) === "string" && /^\d{4}-/.test(String(get(value, p))),
      );
      if (times.length > 0) {
        mutations.push(
          fc
            .tuple(some(times), fc.integer({ min: -7_200_000, max: 7_200_000 }))
            .map(([path, shift]) => {
              const ms = Date.parse(String(get(value, path)).replace(" ", "T"));
              return set(value, path, new Date(ms + shift).toISOString());
            }),
        );
      }
    }
    return fc.oneof(...mutations);
  });
}

describe("schemas and parsers agree on generated values", () => {
  it("accept every generated valid record and event", () => {
    fc.assert(
      fc.property(validRecord, (value) => {
        expect(expectRecordAgreement(value)).toBe(true);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(validEvent, (value) => {
        expect(expectEventAgreement(value)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("agree on mutated records", () => {
    let rejected = 0;
    fc.assert(
      fc.property(mutated(validRecord), (value) => {
        if (!expectRecordAgreement(value)) rejected++;
      }),
      { numRuns: 1500 },
    );
    expect(rejected).toBeGreaterThan(500);
  });

  it("agree on mutated events", () => {
    let rejected = 0;
    fc.assert(
      fc.property(mutated(validEvent), (value) => {
        if (!expectEventAgreement(value)) rejected++;
      }),
      { numRuns: 1500 },
    );
    expect(rejected).toBeGreaterThan(500);
  });

  it("accept every attempt folded from parsed events, written by attemptToRecordJson", () => {
    fc.assert(
      fc.property(fc.array(validEvent, { maxLength: 12 }), (values) => {
        const events = values.flatMap((v, i) => {
          const parsed = parseAttemptEvent({ ...v, attemptId: "a", id: `e${i}` }, () => "x");
          return parsed.ok ? [parsed.event] : [];
        });
        const attempt = foldAttemptEvents("a", events);
        if (attempt === undefined) return;
        const written = json(attemptToRecordJson(attempt));
        expect(AttemptRecordSchema.safeParse(written).success).toBe(true);
        expect(parseAttemptRecord(written).ok).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
