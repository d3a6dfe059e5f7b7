const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function digits(s: string, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

// The timestamps of one record, and of neighbouring records, mostly share their date: remember
// the last one so most calls skip date validation and the calendar arithmetic.
let lastDate = "";
let lastDays = 0;

/** Days since the epoch of the `YYYY-MM-DD` that starts `s`, or undefined when invalid. */
function dateDays(s: string): number | undefined {
  let same = lastDate.length === 10;
  for (let i = 0; same && i < 10; i++) same = s.charCodeAt(i) === lastDate.charCodeAt(i);
  if (same) return lastDays;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1) return undefined;
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return undefined; // '-'
  const maxDay = month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
  if (day > maxDay) return undefined;
  lastDays = daysFromCivil(year, month, day);
  lastDate = s.slice(0, 10);
  return lastDays;
}

/**
 * The form nearly every tool writes (`toISOString()`: `YYYY-MM-DDTHH:MM:SS.sssZ`), parsed with
 * straight-line arithmetic; anything unusual falls back to the general parser.
 */
function parseCanonical(s: string): number | undefined {
  const days = dateDays(s);
  if (
    days === undefined ||
    s.charCodeAt(10) !== 84 ||
    s.charCodeAt(13) !== 58 ||
    s.charCodeAt(16) !== 58
  ) {
    return undefined;
  }
  const h1 = s.charCodeAt(11) - 48;
  const h2 = s.charCodeAt(12) - 48;
  const m1 = s.charCodeAt(14) - 48;
  const m2 = s.charCodeAt(15) - 48;
  const s1 = s.charCodeAt(17) - 48;
  const s2 = s.charCodeAt(18) - 48;
  const f1 = s.charCodeAt(20) - 48;
  const f2 = s.charCodeAt(21) - 48;
  const f3 = s.charCodeAt(22) - 48;
  // One unsigned comparison per digit: a negative difference wraps to a huge number.
  if (h1 >>> 0 > 2 || h2 >>> 0 > 9 || m1 >>> 0 > 5 || m2 >>> 0 > 9 || s1 >>> 0 > 5)
    return undefined;
  if (s2 >>> 0 > 9 || f1 >>> 0 > 9 || f2 >>> 0 > 9 || f3 >>> 0 > 9) return undefined;
  const hour = h1 * 10 + h2;
  if (hour > 23) return undefined;
  return (
    ((days * 24 + hour) * 60 + m1 * 10 + m2) * 60_000 +
    (s1 * 10 + s2) * 1000 +
    f1 * 100 +
    f2 * 10 +
    f3
  );
}

/**
 * Parses an RFC 3339 timestamp into integer epoch milliseconds, or returns `undefined`.
 * A time zone (`Z` or `±hh:mm`) is required. Fractions finer than a millisecond are
 * truncated; a leap second (`:60`) is read as the last millisecond of its minute.
 * Hand-written rather than `Date.parse` because Date.parse accepts many non-RFC forms
 * and is the hot path when reading millions of records.
 *
 * @example parseTimestamp("2026-10-01T10:03:12.500Z") === 1790762592500
 */
export function parseTimestamp(s: string): number | undefined {
  if (s.length === 24 && s.charCodeAt(23) === 90 && s.charCodeAt(19) === 46) {
    const fast = parseCanonical(s);
    if (fast !== undefined) return fast;
  }
  if (s.length < 20) return undefined;
  const days = dateDays(s);
  if (days === undefined) return undefined;
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  let second = digits(s, 17, 2);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60)
    return undefined;
  if (s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return undefined; // ':'
  const sep = s.charCodeAt(10);
  if (sep !== 84 && sep !== 116 && sep !== 32) return undefined; // 'T' 't' ' '

  let i = 19;
  let millis = 0;
  if (s.charCodeAt(i) === 46) {
    // '.': keep the first three digits, require at least one
    i++;
    const fracStart = i;
    while (i < s.length) {
      const d = s.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      if (i - fracStart < 3) millis = millis * 10 + d;
      i++;
    }
    const count = i - fracStart;
    if (count === 0) return undefined;
    if (count === 1) millis *= 100;
    else if (count === 2) millis *= 10;
  }
  if (second === 60) {
    second = 59;
    millis = 999;
  }

  let offsetMinutes = 0;
  const zone = s.charCodeAt(i);
  if (zone === 90 || zone === 122) {
    // 'Z' 'z'
    if (i + 1 !== s.length) return undefined;
  } else if (zone === 43 || zone === 45) {
    // '+' '-'
    if (i + 6 !== s.length || s.charCodeAt(i + 3) !== 58) return undefined;
    const oh = digits(s, i + 1, 2);
    const om = digits(s, i + 4, 2);
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return undefined;
    offsetMinutes = (oh * 60 + om) * (zone === 43 ? 1 : -1);
  } else {
    return undefined;
  }
  return ((days * 24 + hour) * 60 + minute - offsetMinutes) * 60_000 + second * 1000 + millis;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** Formats epoch milliseconds as RFC 3339 UTC with milliseconds. */
export function formatTimestamp(ms: number): string {
  return new Date(ms).toISOString();
}
