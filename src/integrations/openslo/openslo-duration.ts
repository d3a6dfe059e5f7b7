const MINUTE = 60_000;
const UNITS = [
  ["w", 7 * 86_400_000],
  ["d", 86_400_000],
  ["h", 3_600_000],
  ["m", MINUTE],
] as const;

/**
 * A duration as OpenSLO's duration-shorthand (one whole number and one unit of m, h, d, w),
 * or undefined when it is not a whole number of minutes. Days are preferred to weeks
 * unless weeks are whole (2w, but 30d).
 */
export function toShorthand(ms: number): string | undefined {
  if (ms <= 0 || ms % MINUTE !== 0) return undefined;
  for (const [unit, size] of UNITS) if (ms % size === 0) return `${ms / size}${unit}`;
  return undefined;
}

/** The nearest shorthand of at least one minute, for a duration that has none exactly. */
export function nearestShorthand(ms: number): string {
  return toShorthand(ms) ?? `${Math.max(1, Math.round(ms / MINUTE))}m`;
}

export type ShorthandParse =
  | { readonly ok: true; readonly ms: number }
  | { readonly ok: true; readonly calendarUnit: "M" | "Q" | "Y"; readonly count: number }
  | { readonly ok: false; readonly reason: string };

/** Reads a duration-shorthand; months, quarters and years have no fixed length in ms. */
export function parseShorthand(text: string, allowZero = false): ShorthandParse {
  const match = /^(\d+)([mhdwMQY])$/.exec(text.trim());
  if (match === null || match[1] === undefined || match[2] === undefined)
    return {
      ok: false,
      reason: `"${text}" is not an OpenSLO duration (a whole number and one of m, h, d, w, M, Q, Y, like 30d)`,
    };
  const count = Number(match[1]);
  const unit = match[2];
  if (count === 0 && !allowZero) return { ok: false, reason: `"${text}" is zero` };
  if (unit === "M" || unit === "Q" || unit === "Y") return { ok: true, calendarUnit: unit, count };
  const size = UNITS.find(([u]) => u === unit)?.[1] ?? MINUTE;
  return { ok: true, ms: count * size };
}
