import { DeploysloError } from "../core/primitives/error-codes.js";

/** A whole-number option in [min, max], or a USAGE error naming the option. */
export function integerOption(name: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new DeploysloError(
      "USAGE",
      `${name} must be a whole number from ${min} to ${max}, got "${value}"`,
    );
  }
  return n;
}
