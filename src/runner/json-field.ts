/** The value at a dotted path (`outputs.0.name`) of parsed JSON; undefined when absent. */
export function jsonField(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split(".")) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** Whether a JSON value reads as `expected`: strings as they are, numbers and booleans as text. */
export function jsonEquals(value: unknown, expected: string): boolean {
  if (typeof value === "string") return value === expected;
  if (typeof value === "number" || typeof value === "boolean") return String(value) === expected;
  return false;
}
