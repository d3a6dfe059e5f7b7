import type { z } from "zod";
import { DeploysloError } from "../../core/primitives/error-codes.js";

function pathOf(prefix: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, key) => (typeof key === "number" ? `${text}[${key}]` : `${text}.${String(key)}`),
    prefix,
  );
}

/**
 * Reads a tool's payload with its schema, or refuses it (INVALID_REQUEST, 400) naming each
 * field at fault by its path in the payload, e.g. `data.version: expected string`.
 */
export function readPayload<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: string,
  root = "body",
): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map(
    (issue) => `${pathOf(root, issue.path)}: ${issue.message}`,
  );
  throw new DeploysloError(
    "INVALID_REQUEST",
    `not ${what}: ${problems[0] ?? "unreadable"}`,
    problems.slice(0, 20),
  );
}

/** Refuses a payload for one named field. */
export function refuseField(what: string, field: string, problem: string): DeploysloError {
  return new DeploysloError("INVALID_REQUEST", `not ${what}: ${field}: ${problem}`, [
    `${field}: ${problem}`,
  ]);
}
