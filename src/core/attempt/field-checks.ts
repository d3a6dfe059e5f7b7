import { parseTimestamp } from "../primitives/timestamp.js";
import type { Attributes } from "./attempt.js";

/** Field checks shared by the record and event parsers; messages start with the field path. */

export const MAX_NAME = 256;
export const MAX_VALUE = 1024;
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
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
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
  return value;
}

/** A version: a non-empty string, or an integer as registries number them. */
export function requiredVersion(value: unknown, problems: Problems): string {
  if (typeof value === "string" && value.length > 0) {
    if (value.length > MAX_NAME) problems.add(`version is longer than ${MAX_NAME} characters`);
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

export function attributes(value: unknown, path: string, problems: Problems): Attributes {
  if (isAbsent(value)) return NO_ATTRIBUTES;
  if (!isObject(value)) {
    problems.add(`${path} must be an object of string, number or boolean values`);
    return NO_ATTRIBUTES;
  }
  for (const key in value) {
    const v = value[key];
    const t = typeof v;
    if (t !== "string" && t !== "boolean" && !(t === "number" && Number.isFinite(v))) {
      problems.add(`${path}.${key} must be a string, number or boolean, got ${show(v)}`);
    } else if (t === "string" && (v as string).length > MAX_VALUE) {
      problems.add(`${path}.${key} is longer than ${MAX_VALUE} characters`);
    }
  }
  return value as Attributes;
}

export function labels(value: unknown, problems: Problems): Readonly<Record<string, string>> {
  if (isAbsent(value)) return NO_LABELS;
  if (!isObject(value)) {
    problems.add(`labels must be an object of string values, got ${show(value)}`);
    return NO_LABELS;
  }
  for (const key in value) {
    const v = value[key];
    if (key.length === 0 || key.length > MAX_NAME) {
      problems.add(`labels has a key of length ${key.length}: keys are 1–${MAX_NAME} characters`);
    }
    if (typeof v !== "string") {
      problems.add(`labels.${key} must be a string, got ${show(v)}`);
    } else if (v.length > MAX_VALUE) {
      problems.add(`labels.${key} is longer than ${MAX_VALUE} characters`);
    }
  }
  return value as Record<string, string>;
}
