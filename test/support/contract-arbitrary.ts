import fc from "fast-check";
import { z } from "zod";
import { instantMs, RFC_3339_PATTERN } from "../../src/contract/timestamp-schema.js";

/*
 * Values generated from a contract schema (through its JSON Schema), and the same values made
 * wrong in one place: what the tests of the core's hand-written readers draw from, so that a
 * field added to the contract is generated without a test being edited.
 */

interface JsonSchema {
  readonly $ref?: string;
  readonly type?: string;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: JsonSchema | boolean;
  readonly propertyNames?: JsonSchema;
  readonly items?: JsonSchema;
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly pattern?: string;
  readonly $defs?: Readonly<Record<string, JsonSchema>>;
}

export const T0 = Date.UTC(2026, 9, 1, 10);

/**
 * Instants near T0, on a grid of minutes give or take a millisecond, so that the times of one
 * value are often equal or a millisecond apart: the edges of the cross-field rules.
 */
const instant = fc.oneof(
  fc
    .tuple(fc.integer({ min: -3, max: 3 }), fc.constantFrom(-1, 0, 0, 1))
    .map(([minutes, ms]) => T0 + minutes * 60_000 + ms),
  fc.integer({ min: T0 - 3_600_000, max: T0 + 3_600_000 }),
);

/** One instant near T0, written in any of the forms RFC 3339 allows. */
export const validTimestamp: fc.Arbitrary<string> = fc
  .record({
    ms: instant,
    offset: fc.constantFrom(0, 0, 120, -330, 59),
    separator: fc.constantFrom("T", "T", "t", " "),
    zulu: fc.constantFrom("Z", "Z", "z"),
    fraction: fc.constantFrom("ms", "ms", "none", "tenths", "nanos"),
    leap: fc.boolean(),
  })
  .map(({ ms, offset, separator, zulu, fraction, leap }) => {
    const iso = new Date(ms + offset * 60_000).toISOString();
    const seconds = leap && fraction === "none" ? "60" : iso.slice(17, 19);
    const digits = {
      ms: iso.slice(19, 23),
      none: "",
      tenths: iso.slice(19, 21),
      nanos: `${iso.slice(19, 23)}456789`,
    }[fraction];
    const abs = Math.abs(offset);
    const zone =
      offset === 0
        ? zulu
        : `${offset < 0 ? "-" : "+"}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
    return `${iso.slice(0, 10)}${separator}${iso.slice(11, 17)}${seconds}${digits}${zone}`;
  });

/** Strings of the timestamp's form with any digits: mostly impossible dates and times. */
export const patternTimestamp: fc.Arbitrary<string> = fc.stringMatching(
  new RegExp(RFC_3339_PATTERN),
);

const name = fc.oneof(
  fc.constantFrom("validate", "fraud-detector", "registry_pull", "production", "7"),
  fc.string({ minLength: 1, maxLength: 12 }),
);

function text(schema: JsonSchema): fc.Arbitrary<string> {
  if (schema.pattern === RFC_3339_PATTERN)
    return fc.oneof(validTimestamp, validTimestamp, patternTimestamp);
  const min = schema.minLength ?? 0;
  const max = schema.maxLength;
  const short = min > 0 ? name : fc.string({ maxLength: 8 });
  return max === undefined
    ? short
    : fc.oneof({ weight: 9, arbitrary: short }, fc.constant("x".repeat(max)));
}

function dictionary(schema: JsonSchema, defs: Defs): fc.Arbitrary<Record<string, unknown>> {
  const keys =
    schema.propertyNames === undefined ? fc.string({ maxLength: 6 }) : text(schema.propertyNames);
  const values =
    typeof schema.additionalProperties === "object"
      ? from(schema.additionalProperties, defs)
      : fc.string();
  return fc.dictionary(
    keys.filter((k) => k !== "__proto__"),
    values,
    { maxKeys: 3 },
  );
}

function object(schema: JsonSchema, defs: Defs): fc.Arbitrary<Record<string, unknown>> {
  if (schema.properties === undefined) return dictionary(schema, defs);
  const required = new Set(schema.required ?? []);
  const fields = Object.entries(schema.properties).map(([key, field]) => {
    const value = from(field, defs);
    return required.has(key)
      ? value.map((v) => [key, v] as const)
      : fc.option(value, { nil: undefined, freq: 2 }).map((v) => [key, v] as const);
  });
  return fc
    .tuple(...fields)
    .map((entries) => Object.fromEntries(entries.filter(([, v]) => v !== undefined)));
}

type Defs = Readonly<Record<string, JsonSchema>>;

function from(schema: JsonSchema, defs: Defs): fc.Arbitrary<unknown> {
  if (schema.$ref !== undefined) {
    const target = defs[schema.$ref.replace("#/$defs/", "")];
    if (target === undefined) throw new Error(`no definition for ${schema.$ref}`);
    return from(target, defs);
  }
  const options = schema.anyOf ?? schema.oneOf;
  if (options !== undefined) return fc.oneof(...options.map((option) => from(option, defs)));
  if ("const" in schema) return fc.constant(schema.const);
  if (schema.enum !== undefined) return fc.constantFrom(...schema.enum);
  switch (schema.type) {
    case "null":
      return fc.constant(null);
    case "boolean":
      return fc.boolean();
    case "integer":
      return fc.integer({ min: schema.minimum ?? -1_000_000, max: 1_000_000 });
    case "number":
      return fc.oneof(
        fc.nat(1000),
        fc.double({ min: schema.minimum ?? -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }),
      );
    case "string":
      return text(schema);
    case "array":
      return schema.items === undefined
        ? fc.constant([])
        : fc.array(from(schema.items, defs), { maxLength: 3 });
    case "object":
      return object(schema, defs);
    default:
      throw new Error(`no generator for ${JSON.stringify(schema).slice(0, 120)}`);
  }
}

/** Values of the schema's JSON Schema form: valid field by field, cross-field rules left to chance. */
export function fromContract(schema: z.ZodType): fc.Arbitrary<Record<string, unknown>> {
  const json = z.toJSONSchema(schema, { io: "input" }) as JsonSchema;
  // As the server would receive them: through JSON text (no -0, no undefined).
  return from(json, json.$defs ?? {}).map((value) => JSON.parse(JSON.stringify(value)));
}

const ODD_VALUES: readonly unknown[] = [
  null,
  0,
  -1,
  1.5,
  "",
  "x",
  "x".repeat(257),
  "x".repeat(1025),
  true,
  [],
  [1],
  {},
  { a: 1 },
  { "": "x" },
  "2026-10-01T10:00:00.000Z",
  "2026-10-01T10:00:00",
  "2026-02-29T10:00:00Z",
  "2026-10-01T10:00:00.Z",
  "2026-10-01T10:60:00Z",
  "2026-10-01T10:00:00+2:00",
  " 2026-10-01T10:00:00Z",
  "succeeded",
  "failed",
  "in_progress",
  "wait",
  "attempt.finished",
];

const NEAR_MISSES = ["servingat", "startedat", "ended", "Model", "labels", "kind", "stages", "at"];

type Path = readonly (string | number)[];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Every path to a value inside a JSON value (objects and arrays, the root excluded). */
function paths(value: unknown, prefix: Path = []): Path[] {
  if (Array.isArray(value))
    return value.flatMap((v, i) => [[...prefix, i], ...paths(v, [...prefix, i])]);
  if (isObject(value))
    return Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...paths(v, [...prefix, k])]);
  return [];
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

/** A value made wrong (or, by chance, still right) in one place. */
export function mutated(valid: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<unknown> {
  return valid.chain((value) => {
    const all = paths(value);
    const objects = [[], ...all].filter((p) => isObject(get(value, p)));
    const some = <T>(list: readonly T[]) => fc.constantFrom(...list);
    const mutations: fc.Arbitrary<unknown>[] = [
      fc
        .tuple(
          some(objects),
          fc.oneof(fc.constantFrom(...NEAR_MISSES), fc.string({ minLength: 1, maxLength: 8 })),
          some(ODD_VALUES),
        )
        .filter(([, key]) => key !== "__proto__")
        .map(([path, key, v]) => set(value, [...path, key], v)),
    ];
    if (all.length > 0) {
      mutations.push(some(all).map((path) => set(value, path, undefined)));
      mutations.push(fc.tuple(some(all), some(ODD_VALUES)).map(([path, v]) => set(value, path, v)));
    }
    // a time set to another time of the same value, or a millisecond either side of it: the
    // edges of the cross-field rules
    const times = all.flatMap((path) => {
      const node = get(value, path);
      const ms = typeof node === "string" ? instantMs(node) : undefined;
      return ms === undefined ? [] : [{ path, ms }];
    });
    if (times.length > 1) {
      mutations.push(
        fc
          .tuple(some(times), some(times), fc.constantFrom(-1, 0, 1))
          .map(([to, from, shift]) => set(value, to.path, new Date(from.ms + shift).toISOString())),
      );
    }
    return fc.oneof(...mutations);
  });
}
