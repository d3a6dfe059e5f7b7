// Argument parsing shared by the local target's scripts: a usage error prints what is wrong and
// the usage line, and exits with 2 (as the deployslo CLI does).

import { parseArgs } from "node:util";

/** Thrown for a bad argument value; `parseCli` turns it into a usage error. */
export class UsageError extends Error {
  name = "UsageError";
}

/**
 * @param {string} name the script's name, prefixed to messages
 * @param {string} usage the usage line
 * @param {import("node:util").ParseArgsConfig["options"]} options
 * @param {(values: Record<string, string | boolean | undefined>) => T} read turns the raw
 *   values into the script's options, throwing UsageError on a bad one
 * @returns {T}
 * @template T
 */
export function parseCli(name, usage, options, read) {
  try {
    const { values } = parseArgs({ args: process.argv.slice(2), options, strict: true });
    return read(values);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`${name}: ${message}\nusage: ${usage}\n`);
    process.exit(2);
  }
}

/**
 * @param {string | boolean | undefined} value
 * @param {string} flag
 * @returns {string}
 */
export function required(value, flag) {
  if (typeof value !== "string" || value === "") throw new UsageError(`${flag} is required`);
  return value;
}

/**
 * A whole number in [min, max], from a flag's text.
 * @param {string | boolean | undefined} value
 * @param {string} flag
 * @param {number} min
 * @param {number} max
 * @returns {number}
 */
export function integer(value, flag, min, max) {
  const text = required(value, flag);
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, got "${text}"`);
  }
  return n;
}

/** A port number: 0 asks the system for a free one. */
export const port = (value, flag) => integer(value, flag, 0, 65_535);
