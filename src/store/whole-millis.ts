import { DeploysloError } from "../core/primitives/error-codes.js";

/**
 * Checks a time before it goes into a bigint column: PostgreSQL rejects a fraction and SQLite
 * would store it as a float, so the two dialects would differ.
 */
export function wholeMillis<T extends number | null>(value: T, what: string): T {
  if (value !== null && !Number.isSafeInteger(value)) {
    throw new DeploysloError("RECORD_INVALID", `${what} is not whole epoch milliseconds: ${value}`);
  }
  return value;
}
