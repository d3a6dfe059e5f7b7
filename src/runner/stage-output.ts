import type { AttributeValue } from "../core/attempt/attempt.js";

const KEY = /^[A-Za-z_][A-Za-z0-9_.-]{0,127}$/;
const MAX_VALUE = 1024;

/** A value as an attribute: numbers and booleans typed, the rest as text. */
function typed(value: string): AttributeValue {
  if (value === "true") return true;
  if (value === "false") return false;
  if (/^-?\d+(\.\d+)?$/.test(value) && Number.isFinite(Number(value))) return Number(value);
  return value.slice(0, MAX_VALUE);
}

/**
 * Reads the `key=value` lines a stage wrote to $DEPLOYSLO_OUTPUT: the text values (for later
 * stages) and the typed attributes (for its span). Blank lines, `#` comments and lines that are
 * not key=value are ignored; a key written twice keeps its last value.
 */
export function parseStageOutput(text: string): {
  values: Record<string, string>;
  attributes: Record<string, AttributeValue>;
} {
  const values: Record<string, string> = {};
  const attributes: Record<string, AttributeValue> = {};
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    const eq = line.indexOf("=");
    if (line === "" || line.startsWith("#") || eq <= 0) continue;
    const key = line.slice(0, eq).trim();
    if (!KEY.test(key)) continue;
    const value = line.slice(eq + 1).trim();
    values[key] = value;
    attributes[key] = typed(value);
  }
  return { values, attributes };
}

/** The environment variable a later stage reads an output from: STAGE_<STAGE>_<KEY>. */
export function outputVariable(stage: string, key: string): string {
  return `STAGE_${stage}_${key}`.toUpperCase().replace(/[^A-Z0-9_]/g, "_");
}
