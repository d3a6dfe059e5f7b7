import { DeploysloError } from "../../core/primitives/error-codes.js";

/** An attribute value as OTLP's AnyValue carries it, read into plain JavaScript. */
export type OtlpValue =
  | string
  | number
  | boolean
  | null
  | readonly OtlpValue[]
  | { readonly [key: string]: OtlpValue };

/** One span of an ExportTraceServiceRequest, with the attributes of its resource. */
export interface DecodedSpan {
  /** Where the span was in the request: `resourceSpans[0].scopeSpans[1].spans[4]`. */
  readonly where: string;
  /** Lower-case hex, 32 digits. */
  readonly traceId: string;
  /** Lower-case hex, 16 digits. */
  readonly spanId: string;
  readonly parentSpanId: string | null;
  readonly name: string;
  readonly kind: number;
  /** Epoch milliseconds (the nanoseconds truncated). */
  readonly startMs: number;
  readonly endMs: number;
  /** 0 unset, 1 ok, 2 error. */
  readonly statusCode: number;
  readonly statusMessage: string;
  readonly attributes: ReadonlyMap<string, OtlpValue>;
  readonly resource: ReadonlyMap<string, OtlpValue>;
  /** The span's events (instants): their names and times, epoch milliseconds. */
  readonly events: readonly { readonly name: string; readonly atMs: number }[];
}

const TRACE_ID = /^[0-9a-fA-F]{32}$/;
const SPAN_ID = /^[0-9a-fA-F]{16}$/;
const NANOS = /^\d{1,20}$/;
const NANOS_PER_MS = 1_000_000n;
/** Nesting of arrayValue and kvlistValue deeper than this is refused (stack safety). */
const MAX_DEPTH = 16;

const NO_ATTRIBUTES: ReadonlyMap<string, OtlpValue> = new Map();

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function invalid(path: string, problem: string): DeploysloError {
  return new DeploysloError("INVALID_REQUEST", `${path} ${problem}`, [`${path} ${problem}`]);
}

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** A repeated field: absent (proto3 default) is empty. */
function list(value: unknown, path: string): readonly unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalid(path, `must be an array, got ${shown(value)}`);
  return value;
}

function optionalObject(value: unknown, path: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw invalid(path, `must be an object, got ${shown(value)}`);
  return value;
}

/**
 * Nanoseconds since the epoch, as epoch milliseconds: a decimal string (the proto3 JSON
 * mapping) or a number. A number past 2^53 has lost its last digits to JSON's doubles (OTLP's
 * own examples write times so), which leaves the milliseconds exact.
 */
function nanosToMs(value: unknown, path: string): number {
  let ms: number | undefined;
  if (typeof value === "string" && NANOS.test(value)) ms = Number(BigInt(value) / NANOS_PER_MS);
  else if (typeof value === "number" && Number.isInteger(value) && value >= 0) {
    ms = Math.floor(value / 1e6);
  }
  if (ms === undefined) {
    throw invalid(path, `must be a non-negative integer (a decimal string), got ${shown(value)}`);
  }
  if (ms === 0) throw invalid(path, "is required (nanoseconds since the Unix epoch)");
  return ms;
}

function int32(value: unknown, path: string): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === "number" && Number.isInteger(value)) return value;
  throw invalid(
    path,
    `must be an integer (OTLP/JSON encodes enums as integers), got ${shown(value)}`,
  );
}

function anyValue(value: unknown, path: string, depth: number): OtlpValue {
  if (value === undefined || value === null) return null;
  if (!isObject(value)) throw invalid(path, `must be an AnyValue object, got ${shown(value)}`);
  if (depth > MAX_DEPTH) throw invalid(path, `is nested deeper than ${MAX_DEPTH} levels`);
  if ("stringValue" in value) {
    if (typeof value.stringValue !== "string")
      throw invalid(`${path}.stringValue`, "must be a string");
    return value.stringValue;
  }
  if ("boolValue" in value) {
    if (typeof value.boolValue !== "boolean")
      throw invalid(`${path}.boolValue`, "must be a boolean");
    return value.boolValue;
  }
  if ("intValue" in value) return intValue(value.intValue, `${path}.intValue`);
  if ("doubleValue" in value) {
    const d = value.doubleValue;
    // The proto3 JSON mapping writes NaN and infinities as strings.
    if (typeof d === "number") return d;
    if (d === "NaN" || d === "Infinity" || d === "-Infinity") return Number(d);
    throw invalid(`${path}.doubleValue`, `must be a number, got ${shown(d)}`);
  }
  if ("arrayValue" in value) {
    const values = list(optionalObject(value.arrayValue, `${path}.arrayValue`).values, path);
    return values.map((v, i) => anyValue(v, `${path}.arrayValue.values[${i}]`, depth + 1));
  }
  if ("kvlistValue" in value) {
    const kv = optionalObject(value.kvlistValue, `${path}.kvlistValue`);
    return Object.fromEntries(keyValues(kv.values, `${path}.kvlistValue.values`, depth + 1));
  }
  if ("bytesValue" in value) {
    if (typeof value.bytesValue !== "string") throw invalid(`${path}.bytesValue`, "must be base64");
    return value.bytesValue;
  }
  // An empty AnyValue is the proto3 default: no value.
  return null;
}

function intValue(value: unknown, path: string): number | string {
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value === "string" && /^-?\d{1,20}$/.test(value)) {
    const n = Number(value);
    // Beyond 2^53 a number would round: such a value is kept as its digits.
    return Number.isSafeInteger(n) ? n : value;
  }
  throw invalid(path, `must be an integer (a decimal string), got ${shown(value)}`);
}

function keyValues(value: unknown, path: string, depth: number): Map<string, OtlpValue> {
  const entries = list(value, path);
  if (entries.length === 0) return new Map();
  const out = new Map<string, OtlpValue>();
  for (const [i, entry] of entries.entries()) {
    const at = `${path}[${i}]`;
    if (!isObject(entry)) throw invalid(at, `must be a KeyValue object, got ${shown(entry)}`);
    if (typeof entry.key !== "string") throw invalid(`${at}.key`, "must be a string");
    out.set(entry.key, anyValue(entry.value, `${at}.value`, depth));
  }
  return out;
}

function hexId(value: unknown, path: string, pattern: RegExp, digits: number): string {
  if (typeof value !== "string" || !pattern.test(value) || /^0+$/.test(value)) {
    throw invalid(
      path,
      `must be ${digits} hexadecimal digits, not all zero (OTLP/JSON ids are hex, not base64), got ${shown(value)}`,
    );
  }
  return value.toLowerCase();
}

function timedEvents(value: unknown, path: string): DecodedSpan["events"] {
  const events = list(value, path);
  if (events.length === 0) return [];
  return events.map((event, i) => {
    const at = `${path}[${i}]`;
    if (!isObject(event)) throw invalid(at, `must be an Event object, got ${shown(event)}`);
    if (event.name !== undefined && typeof event.name !== "string") {
      throw invalid(`${at}.name`, "must be a string");
    }
    return {
      name: (event.name as string | undefined) ?? "",
      atMs: nanosToMs(event.timeUnixNano, `${at}.timeUnixNano`),
    };
  });
}

function span(
  value: unknown,
  where: string,
  resource: ReadonlyMap<string, OtlpValue>,
): DecodedSpan {
  if (!isObject(value)) throw invalid(where, `must be a Span object, got ${shown(value)}`);
  const parent = value.parentSpanId;
  const status = optionalObject(value.status, `${where}.status`);
  const attributes = keyValues(value.attributes, `${where}.attributes`, 0);
  if (value.name !== undefined && typeof value.name !== "string") {
    throw invalid(`${where}.name`, `must be a string, got ${shown(value.name)}`);
  }
  if (status.message !== undefined && typeof status.message !== "string") {
    throw invalid(`${where}.status.message`, "must be a string");
  }
  return {
    where,
    traceId: hexId(value.traceId, `${where}.traceId`, TRACE_ID, 32),
    spanId: hexId(value.spanId, `${where}.spanId`, SPAN_ID, 16),
    parentSpanId:
      parent === undefined || parent === null || parent === ""
        ? null
        : hexId(parent, `${where}.parentSpanId`, SPAN_ID, 16),
    name: (value.name as string | undefined) ?? "",
    kind: int32(value.kind, `${where}.kind`),
    startMs: nanosToMs(value.startTimeUnixNano, `${where}.startTimeUnixNano`),
    endMs: nanosToMs(value.endTimeUnixNano, `${where}.endTimeUnixNano`),
    statusCode: int32(status.code, `${where}.status.code`),
    statusMessage: (status.message as string | undefined) ?? "",
    attributes: attributes.size === 0 ? NO_ATTRIBUTES : attributes,
    resource,
    events: timedEvents(value.events, `${where}.events`),
  };
}

/**
 * Reads an OTLP/HTTP JSON ExportTraceServiceRequest (opentelemetry-proto's JSON encoding: hex
 * ids, 64-bit integers as decimal strings or numbers, enums as integers, unknown fields
 * ignored) into its spans. Data that is not such a request throws INVALID_REQUEST naming the
 * field, for a 400: OTLP's "bad data", which a client must not retry.
 */
export function decodeOtlpTraces(body: unknown): DecodedSpan[] {
  if (!isObject(body)) {
    throw invalid("body", `must be an ExportTraceServiceRequest object, got ${shown(body)}`);
  }
  const spans: DecodedSpan[] = [];
  for (const [r, resourceSpans] of list(body.resourceSpans, "resourceSpans").entries()) {
    const at = `resourceSpans[${r}]`;
    const rs = optionalObject(resourceSpans, at);
    const resource = keyValues(
      optionalObject(rs.resource, `${at}.resource`).attributes,
      `${at}.resource.attributes`,
      0,
    );
    for (const [s, scopeSpans] of list(rs.scopeSpans, `${at}.scopeSpans`).entries()) {
      const scope = `${at}.scopeSpans[${s}]`;
      const ss = optionalObject(scopeSpans, scope);
      for (const [i, value] of list(ss.spans, `${scope}.spans`).entries()) {
        spans.push(span(value, `${scope}.spans[${i}]`, resource));
      }
    }
  }
  return spans;
}
