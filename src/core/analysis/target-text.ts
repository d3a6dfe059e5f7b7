import { type Decimal, parseDecimal, percentToFraction } from "../primitives/exact-ratio.js";

/** Reads a target as written in a spec or on the command line: `99%`, `99.5%` or `0.995`. */
export function parseTargetText(
  text: string,
):
  | { readonly ok: true; readonly target: Decimal }
  | { readonly ok: false; readonly reason: string } {
  const trimmed = text.trim();
  const percent = trimmed.endsWith("%");
  const decimal = parseDecimal(percent ? trimmed.slice(0, -1).trim() : trimmed);
  const target = decimal === undefined ? undefined : percent ? percentToFraction(decimal) : decimal;
  if (target === undefined || target.units === 0n || target.units >= target.scale)
    return {
      ok: false,
      reason: `target must be above 0% and below 100%, e.g. 99% or 0.99; got "${text}"`,
    };
  return { ok: true, target };
}
