import { DeploysloError } from "../core/primitives/error-codes.js";

const UNITS: Readonly<Record<string, number>> = { "": 1, kib: 1024, mib: 1024 * 1024 };

/** A size in bytes from `N`, `NKiB` or `NMiB`, in [min, max] bytes; else a USAGE error. */
export function sizeOption(name: string, value: string, min: number, max: number): number {
  const match = /^\s*(\d+)\s*(kib|mib)?\s*$/i.exec(value);
  const bytes =
    match === null ? Number.NaN : Number(match[1]) * (UNITS[(match[2] ?? "").toLowerCase()] ?? 0);
  if (!Number.isSafeInteger(bytes) || bytes < min || bytes > max) {
    throw new DeploysloError(
      "USAGE",
      `${name} must be a size from ${min} bytes to ${max / 1024 / 1024} MiB (e.g. 16MiB), got "${value}"`,
    );
  }
  return bytes;
}
