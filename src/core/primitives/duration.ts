const UNIT_MS = {
  w: 604_800_000,
  d: 86_400_000,
  h: 3_600_000,
  m: 60_000,
  s: 1_000,
  ms: 1,
} as const;

type Unit = keyof typeof UNIT_MS;
const UNIT_ORDER: readonly Unit[] = ["w", "d", "h", "m", "s", "ms"];
// Weeks are accepted on input but days read better in output (30d, not 4w2d).
const FORMAT_UNITS: readonly Unit[] = ["d", "h", "m", "s", "ms"];
const PART = /(\d+)(?:\.(\d+))?(ms|s|m|h|d|w)/y;

export type DurationParse = { ok: true; ms: number } | { ok: false; reason: string };

/** The range a duration field accepts, for hints that suggest only values it would take. */
export interface DurationBounds {
  readonly minMs: number;
  readonly maxMs: number;
}

/**
 * What to say about a number without a unit: the number with each unit (smallest first) that
 * gives a value within `bounds`, at most three; `7` for a window (1h to 400d) is "7h, 7d or 7w".
 */
export function missingUnitReason(text: string, bounds?: DurationBounds): string {
  const value = Number(text);
  const fits = [...UNIT_ORDER]
    .reverse()
    .filter((unit) => {
      const ms = value * UNIT_MS[unit];
      return bounds === undefined || (ms >= bounds.minMs && ms <= bounds.maxMs);
    })
    .map((unit) => `${text}${unit}`);
  if (bounds === undefined) return `${text} has no unit: write ${text}s, ${text}m or similar`;
  if (fits.length === 0) return `${text} has no unit, and no unit makes it a valid value here`;
  const shown = fits.slice(0, 3);
  const last = shown.pop();
  return `${text} has no unit: write ${shown.length > 0 ? `${shown.join(", ")} or ` : ""}${last}`;
}

/**
 * Parses a duration such as `5m`, `2m30s`, `1.5h` or `250ms` into integer milliseconds.
 * Units: ms s m h d w, largest first, each at most once. A value that is not a whole
 * number of milliseconds is rejected rather than rounded, so specs mean what they say.
 * `bounds` only shapes the hint for a number without a unit; callers check the range.
 *
 * @example parseDuration("2m30s") // { ok: true, ms: 150000 }
 */
export function parseDuration(input: string, bounds?: DurationBounds): DurationParse {
  const text = input.trim();
  if (text === "") return { ok: false, reason: "is empty" };
  if (/^\d+(\.\d+)?$/.test(text)) return { ok: false, reason: missingUnitReason(text, bounds) };
  let total = 0;
  let lastUnit = -1;
  PART.lastIndex = 0;
  let at = 0;
  while (at < text.length) {
    PART.lastIndex = at;
    const match = PART.exec(text);
    if (match === null) {
      return {
        ok: false,
        reason: `"${input}" is not a duration (use units ms s m h d w, e.g. 5m or 2m30s)`,
      };
    }
    const [, whole = "0", fraction = "", unitText] = match;
    const unit = unitText as Unit;
    const order = UNIT_ORDER.indexOf(unit);
    if (order <= lastUnit) {
      return { ok: false, reason: `"${input}": units must go from largest to smallest, once each` };
    }
    lastUnit = order;
    const scale = 10 ** fraction.length;
    const scaled = (Number(whole) * scale + Number(fraction || "0")) * UNIT_MS[unit];
    if (scaled % scale !== 0) {
      return { ok: false, reason: `"${input}" is finer than a millisecond` };
    }
    total += scaled / scale;
    at = PART.lastIndex;
  }
  if (!Number.isSafeInteger(total)) return { ok: false, reason: `"${input}" is too long` };
  return { ok: true, ms: total };
}

/**
 * Formats milliseconds as a compact compound duration (`1h30m`, `45s`, `250ms`);
 * `0s` for zero. Inverse of parseDuration for whole values.
 */
export function formatDuration(ms: number): string {
  if (ms === 0) return "0s";
  const sign = ms < 0 ? "-" : "";
  let rest = Math.abs(Math.round(ms));
  let out = "";
  for (const unit of FORMAT_UNITS) {
    const size = UNIT_MS[unit];
    if (rest >= size) {
      const count = Math.floor(rest / size);
      rest -= count * size;
      out += `${count}${unit}`;
    }
  }
  return sign + out;
}
