import { formatDuration } from "../core/primitives/duration.js";

/** Seconds for a table: 8.3s under a minute, whole seconds above (13m20s); — for none. */
export function seconds(value: number | null | undefined): string {
  if (value === null || value === undefined) return "—";
  if (Math.abs(value) < 60) {
    const text = value.toFixed(1);
    return `${Number(text) === 0 ? "0.0" : text}s`;
  }
  return formatDuration(Math.round(value) * 1000);
}

/** A ratio as a percentage with `digits` decimals; — for none. */
export function percent(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined) return "—";
  const text = (value * 100).toFixed(digits);
  // A tiny negative share rounds to "-0.0": show it as 0.
  return `${Number(text) === 0 ? (0).toFixed(digits) : text}%`;
}

/** Left-aligned first column, right-aligned others, two spaces apart. */
export function columns(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n")
    .concat("\n");
}

export function scopeLine(
  selector: readonly string[],
  from: string | null,
  to: string | null,
  attempts: number,
): string {
  const scope = selector.length === 0 ? "every attempt" : selector.join(", ");
  const range = from === null && to === null ? "" : ` started ${from ?? "…"} to ${to ?? "…"}`;
  return `${scope}${range}: ${attempts.toLocaleString("en")} attempts`;
}
