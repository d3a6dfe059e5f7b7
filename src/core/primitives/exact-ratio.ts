function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * numerator / denominator as the nearest double. Budget and burn figures are ratios of
 * integers (counts, milliseconds, the target's decimal digits); dividing once at the end
 * keeps `1 - 0.999` artifacts such as 0.0010000000000000009 out of every output.
 */
export function exactRatio(numerator: bigint, denominator: bigint): number {
  if (denominator === 0n) throw new RangeError("exactRatio: denominator is zero");
  let n = numerator;
  let d = denominator;
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const abs = n < 0n ? -n : n;
  if (abs <= SAFE && d <= SAFE) return Number(n) / Number(d);
  // Scale so the integer quotient carries 64 significant bits, then round once.
  const shift = bitLength(d) - bitLength(abs) + 64;
  const q = shift >= 0 ? (n << BigInt(shift)) / d : n / (d << BigInt(-shift));
  return Number(q) * 2 ** -shift;
}

/** A decimal fraction `units / scale` with `scale` a power of ten, kept exact. */
export interface Decimal {
  readonly units: bigint;
  readonly scale: bigint;
}

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/** Parses a plain non-negative decimal string ("0.999", "99.95") exactly. */
export function parseDecimal(text: string): Decimal | undefined {
  const match = DECIMAL.exec(text);
  if (match === null) return undefined;
  const [, whole = "0", fraction = ""] = match;
  return { units: BigInt(whole + fraction), scale: 10n ** BigInt(fraction.length) };
}

/** The decimal a JavaScript number was written as (its shortest round-trip form). */
export function decimalOfNumber(value: number): Decimal | undefined {
  if (!Number.isFinite(value) || value < 0) return undefined;
  // toFixed(20) spells exponent forms (1e-7) out in plain digits; trim its padding.
  const text = /e/i.test(String(value)) ? value.toFixed(20).replace(/0+$/, "") : String(value);
  return parseDecimal(text.endsWith(".") ? text.slice(0, -1) : text);
}

/** Divides a decimal by 100 exactly (for percentages). */
export function percentToFraction(value: Decimal): Decimal {
  return { units: value.units, scale: value.scale * 100n };
}

export function decimalToNumber(value: Decimal): number {
  return exactRatio(value.units, value.scale);
}
