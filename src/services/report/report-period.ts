import { DeploysloError } from "../../core/primitives/error-codes.js";

/** A calendar month in UTC: [from, to) in epoch ms. */
export interface ReportPeriod {
  /** YYYY-MM. */
  readonly label: string;
  readonly from: number;
  readonly to: number;
}

/** Parses `--period` / `?period=`: a calendar month `YYYY-MM` (UTC). */
export function parseReportPeriod(
  text: string,
  option = "--period",
  code: "USAGE" | "INVALID_REQUEST" = "USAGE",
  now?: number,
): ReportPeriod {
  const match = /^(\d{4})-(\d{2})$/.exec(text);
  const year = Number(match?.[1]);
  const month = Number(match?.[2]);
  if (match === null || month < 1 || month > 12 || year < 1970) {
    throw new DeploysloError(
      code,
      `${option} must be a calendar month YYYY-MM (UTC), e.g. 2026-10; got "${text}"`,
    );
  }
  const period = { label: text, from: Date.UTC(year, month - 1, 1), to: Date.UTC(year, month, 1) };
  if (now !== undefined && period.from > now)
    throw new DeploysloError(code, `${option} ${text} has not begun yet`);
  return period;
}

/** The calendar month before the one holding `at`: the default period. */
export function previousMonth(at: number): ReportPeriod {
  const date = new Date(at);
  const from = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() - 1, 1);
  const start = new Date(from);
  const label = `${start.getUTCFullYear()}-${String(start.getUTCMonth() + 1).padStart(2, "0")}`;
  return parseReportPeriod(label);
}
