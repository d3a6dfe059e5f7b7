import { DeploysloError } from "../core/primitives/error-codes.js";
import { parseTimestamp } from "../core/primitives/timestamp.js";

/** Parses `--at`: an RFC 3339 timestamp, or `now`. */
export function parseInstant(
  value: string | undefined,
  now: () => number,
  option = "--at",
): number {
  if (value === undefined || value === "now") return now();
  const ms = parseTimestamp(value);
  if (ms === undefined) {
    throw new DeploysloError(
      "USAGE",
      `${option} must be an RFC 3339 timestamp with a time zone, e.g. 2026-10-14T09:30:00Z; got "${value}"`,
    );
  }
  return ms;
}
