import { z } from "zod";

const RFC_3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * Whether the fields of a string of RFC_3339's form are in range: a real calendar day, hour
 * 00–23, minute 00–59, second 00–60 (a leap second), an offset of at most 23:59.
 */
export function isRealInstant(s: string): boolean {
  const year = Number(s.slice(0, 4));
  const month = Number(s.slice(5, 7));
  const day = Number(s.slice(8, 10));
  const maxDay = month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
  if (day < 1 || day > maxDay) return false;
  if (Number(s.slice(11, 13)) > 23 || Number(s.slice(14, 16)) > 59) return false;
  if (Number(s.slice(17, 19)) > 60) return false;
  const zone = s.slice(-6);
  if (zone[0] !== "+" && zone[0] !== "-") return true;
  return Number(zone.slice(1, 3)) <= 23 && Number(zone.slice(4, 6)) <= 59;
}

/**
 * The epoch milliseconds of a valid timestamp (fractions truncated to the millisecond, a leap
 * second read as the last millisecond of its minute), or undefined: what cross-field rules
 * compare.
 */
export function instantMs(s: string | null | undefined): number | undefined {
  if (typeof s !== "string" || !RFC_3339.test(s) || !isRealInstant(s)) return undefined;
  const fraction = s[19] === "." ? (/^\.(\d+)/.exec(s.slice(19))?.[1] ?? "") : "";
  const zone = s.slice(19 + (fraction === "" ? 0 : fraction.length + 1)).toUpperCase();
  const leap = s.slice(17, 19) === "60";
  const seconds = leap ? "59.999" : `${s.slice(17, 19)}.${`${fraction}000`.slice(0, 3)}`;
  return Date.parse(`${s.slice(0, 10)}T${s.slice(11, 17)}${seconds}${zone}`);
}

/** An RFC 3339 timestamp with a time zone; the server reads it to the millisecond. */
export const TimestampSchema = z
  .string()
  .regex(RFC_3339, "must be an RFC 3339 timestamp with a time zone (2026-10-01T10:00:00Z)")
  .refine(isRealInstant, "is not a valid date and time")
  .meta({ description: "RFC 3339 with a time zone (`Z` or `±hh:mm`), e.g. 2026-10-01T10:00:00Z" });

/** The pattern of TimestampSchema, for tools that generate or check values of that form. */
export const RFC_3339_PATTERN = RFC_3339.source;
