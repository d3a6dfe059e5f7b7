// Display formatting only: the numbers themselves come from the API.

/** 0.8542 → "85.42%"; null → "—". */
export function percent(ratio: number | null, digits = 2): string {
  if (ratio === null || !Number.isFinite(ratio)) return "—";
  const text = (ratio * 100).toFixed(digits);
  // A tiny negative share rounds to "-0": show it as 0.
  return `${Number(text) === 0 ? (0).toFixed(digits) : text}%`;
}

/** Seconds as a short duration: "850 ms", "42.1 s", "4m 12s", "1h 03m", "2d 4h". */
export function duration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return "—";
  const sign = seconds < 0 ? "−" : "";
  const s = Math.abs(seconds);
  if (s < 1) return `${sign}${Math.round(s * 1000)} ms`;
  if (s < 60) return `${sign}${s.toFixed(s < 10 ? 1 : 0)} s`;
  if (s < 3600) {
    const rest = Math.floor(s % 60);
    return `${sign}${Math.floor(s / 60)}m${rest === 0 ? "" : ` ${String(rest).padStart(2, "0")}s`}`;
  }
  if (s < 86_400) {
    const rest = Math.floor((s % 3600) / 60);
    return `${sign}${Math.floor(s / 3600)}h${rest === 0 ? "" : ` ${String(rest).padStart(2, "0")}m`}`;
  }
  return `${sign}${Math.floor(s / 86_400)}d ${Math.floor((s % 86_400) / 3600)}h`;
}

/** A burn rate: "0.42×". */
export function rate(value: number): string {
  return `${value >= 10 ? value.toFixed(0) : value.toFixed(2)}×`;
}

/** A count and its noun, singular for exactly one: "1 attempt", "2,345 attempts". */
export function count(n: number, word: string, words = `${word}s`): string {
  return `${n.toLocaleString("en")} ${n === 1 ? word : words}`;
}

/** A number of budget units: attempts (may be fractional) or seconds. */
export function budgetAmount(value: number, unit: "attempts" | "seconds"): string {
  if (unit === "seconds") return duration(value);
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${value === 1 ? "attempt" : "attempts"}`;
}

const dateTime = new Intl.DateTimeFormat("en-GB", {
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "UTC",
});

/** "14 Oct, 09:30 UTC". */
export function when(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? `${dateTime.format(ms)} UTC` : iso;
}

/** The budget forecast of a status as of `at`: when it runs out, or that it holds. */
export function forecastText(exhaustsAt: string | null, at: string): string {
  if (exhaustsAt === null) return "holds at the 3-day burn";
  if (Date.parse(exhaustsAt) <= Date.parse(at)) return "spent";
  return `runs out ${when(exhaustsAt)}`;
}

export function outcomeLabel(outcome: string): string {
  return outcome.replace(/_/g, " ");
}
