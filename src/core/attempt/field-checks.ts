import { textProblem } from "../primitives/text-problem.js";
import { parseTimestamp } from "../primitives/timestamp.js";
import type { Attributes } from "./attempt.js";
import { MAX_NAME, MAX_VALUE } from "./record-limits.js";

/** Field checks shared by the record and event parsers; messages start with the field path. */

export { MAX_NAME, MAX_VALUE };

const MAX_PROBLEMS = 10;
export const NO_ATTRIBUTES: Attributes = Object.freeze({});
const NO_LABELS: Readonly<Record<string, string>> = Object.freeze({});

/** The problems found in one record or event, at most ten. */
export class Problems {
  // Allocated on the first problem only: most inputs have none, and this runs per record.
  list: string[] | undefined;
  add(message: string): void {
    this.list ??= [];
    if (this.list.length < MAX_PROBLEMS) this.list.push(message);
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function isAbsent(value: unknown): value is null | undefined {
  return value === undefined || value === null;
}

/** A value as it was sent, shortened for messages. */
export function show(value: unknown): string {
  const text = preview(value, 61);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * JSON of `value` up to about `room` characters. JSON.stringify would walk all of a value
 * nested thousands deep and overflow the stack; this stops once it has enough to show.
 */
function preview(value: unknown, room: number): string {
  if (room <= 0) return "";
  if (typeof value === "string") return JSON.stringify(value.slice(0, room));
  if (typeof value !== "object" || value === null) return JSON.stringify(value) ?? String(value);
  const array = Array.isArray(value);
  let out = array ? "[" : "{";
  let first = true;
  for (const key in value) {
    if (out.length >= room) return out;
    if (!first) out += ",";
    first = false;
    if (!array) out += `${JSON.stringify(key.slice(0, room))}:`;
    out += preview((value as Record<string, unknown>)[key], room - out.length);
  }
  return out.length >= room ? out : `${out}${array ? "]" : "}"}`;
}

/** Adds a problem when a string cannot be stored exactly as sent (NUL, lone surrogate). */
export function checkText(text: string, path: string, problems: Problems): void {
  const problem = textProblem(text);
  if (problem !== undefined) problems.add(`${path} ${problem}`);
}

/** Adds a problem when an object or list holds more than `limit` entries. */
export function checkCount(count: number, limit: number, path: string, problems: Problems): void {
  if (count > limit) {
    problems.add(`${path} has ${count} entries; at most ${limit} are allowed`);
  }
}

export function requiredName(value: unknown, path: string, problems: Problems): string {
  if (typeof value !== "string" || value.length === 0) {
    problems.add(
      isAbsent(value)
        ? `${path} is required`
        : `${path} must be a non-empty string, got ${show(value)}`,
    );
    return "";
  }
  if (value.length > MAX_NAME) problems.add(`${path} is longer than ${MAX_NAME} characters`);
  else checkText(value, path, problems);
  return value;
}

/** A version: a non-empty string, or an integer as registries number them. */
export function requiredVersion(value: unknown, problems: Problems): string {
  if (typeof value === "string" && value.length > 0) {
    if (value.length > MAX_NAME) problems.add(`version is longer than ${MAX_NAME} characters`);
    else checkText(value, "version", problems);
    return value;
  }
  if (typeof value === "number" && Number.isInteger(value)) return String(value);
  problems.add(
    isAbsent(value)
      ? "version is required"
      : `version must be a non-empty string or an integer, got ${show(value)}`,
  );
  return "";
}

export function optionalTime(value: unknown, path: string, problems: Problems): number | null {
  if (isAbsent(value)) return null;
  const ms = typeof value === "string" ? parseTimestamp(value) : undefined;
  if (ms === undefined) {
    problems.add(
      `${path} must be an RFC 3339 timestamp with a time zone (2026-10-01T10:00:00Z), got ${show(value)}`,
    );
    return Number.NaN;
  }
  return ms;
}

export function requiredTime(value: unknown, path: string, problems: Problems): number {
  if (isAbsent(value)) {
    problems.add(`${path} is required`);
    return Number.NaN;
  }
  return optionalTime(value, path, problems) ?? Number.NaN;
}

/** A key of labels or attributes as a path for messages: shortened, and safe to print. */
function keyPath(path: string, key: string): string {
  return `${path}.${key.length > 60 ? `${key.slice(0, 57)}...` : key}`;
}

export function attributes(
  value: unknown,
  path: string,
  problems: Problems,
  limit: number,
): Attributes {
  if (isAbsent(value)) return NO_ATTRIBUTES;
  if (!isObject(value)) {
    problems.add(`${path} must be an object of string, number or boolean values`);
    return NO_ATTRIBUTES;
  }
  let count = 0;
  for (const key in value) {
    if (++count > limit) continue;
    const v = value[key];
    const t = typeof v;
    if (key.length > MAX_NAME) {
      problems.add(`${path} has a key of length ${key.length}: keys are at most ${MAX_NAME}`);
      continue;
    }
    checkText(key, `${path} key ${show(key)}`, problems);
    if (t !== "string" && t !== "boolean" && !(t === "number" && Number.isFinite(v))) {
      problems.add(`${keyPath(path, key)} must be a string, number or boolean, got ${show(v)}`);
    } else if (t === "string") {
      if ((v as string).length > MAX_VALUE) {
        problems.add(`${keyPath(path, key)} is longer than ${MAX_VALUE} characters`);
      } else checkText(v as string, keyPath(path, key), problems);
    }
  }
  checkCount(count, limit, path, problems);
  return value as Attributes;
}

export function labels(
  value: unknown,
  problems: Problems,
  limit: number,
): Readonly<Record<string, string>> {
  if (isAbsent(value)) return NO_LABELS;
  if (!isObject(value)) {
    problems.add(`labels must be an object of string values, got ${show(value)}`);
    return NO_LABELS;
  }
  let count = 0;
  for (const key in value) {
    if (++count > limit) continue;
    const v = value[key];
    if (key.length === 0 || key.length > MAX_NAME) {
      problems.add(`labels has a key of length ${key.length}: keys are 1–${MAX_NAME} characters`);
      continue;
    }
    checkText(key, `labels key ${show(key)}`, problems);
    if (typeof v !== "string") {
      problems.add(`${keyPath("labels", key)} must be a string, got ${show(v)}`);
    } else if (v.length > MAX_VALUE) {
      problems.add(`${keyPath("labels", key)} is longer than ${MAX_VALUE} characters`);
    } else checkText(v, keyPath("labels", key), problems);
  }
  checkCount(count, limit, "labels", problems);
  return value as Record<string, string>;
}
