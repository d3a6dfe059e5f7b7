import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decimalOfNumber,
  decimalToNumber,
  exactRatio,
  parseDecimal,
  percentToFraction,
} from "./exact-ratio.js";

describe("exact ratios", () => {
  it("computes 1 − 99.9% without float artifacts", () => {
    const target = percentToFraction(parseDecimal("99.9") ?? { units: 0n, scale: 1n });
    expect(exactRatio(target.scale - target.units, target.scale)).toBe(0.001);
    expect(1 - 0.999).not.toBe(0.001); // the artifact this module exists to avoid
  });
  it("keeps the decimal a number was written as", () => {
    expect(decimalOfNumber(0.99)).toEqual({ units: 99n, scale: 100n });
    expect(decimalOfNumber(1e-7)).toEqual({ units: 1n, scale: 10_000_000n });
    expect(decimalOfNumber(3)).toEqual({ units: 3n, scale: 1n });
    expect(decimalOfNumber(-1)).toBeUndefined();
    expect(decimalToNumber({ units: 9995n, scale: 10_000n })).toBe(0.9995);
  });
  it("divides huge integers to the nearest double", () => {
    const big = 10n ** 30n;
    expect(exactRatio(big, 3n * big)).toBe(1 / 3);
    expect(exactRatio(2n ** 80n + 1n, 2n ** 80n)).toBe(1);
    expect(exactRatio(-7n, -2n)).toBe(3.5);
  });
  it("agrees with plain division whenever operands are safe integers", () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1 }), (a, b) => {
        expect(exactRatio(BigInt(a), BigInt(b))).toBe(a / b);
      }),
    );
  });
  it("stays within one part in 2^52 for large operands", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 2n ** 120n }),
        fc.bigInt({ min: 1n, max: 2n ** 120n }),
        (a, b) => {
          const approx = exactRatio(a, b);
          const reference = Number((a << 200n) / b) / 2 ** 200;
          expect(Math.abs(approx - reference) / reference).toBeLessThan(2 ** -50);
        },
      ),
    );
  });
  it("refuses a zero denominator", () => {
    expect(() => exactRatio(1n, 0n)).toThrow(RangeError);
  });
});
