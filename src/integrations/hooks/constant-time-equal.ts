import { timingSafeEqual } from "node:crypto";

/** Compares two signatures without leaking, through timing, how long a prefix matched. */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  // Unequal lengths leak only the length, which the signature scheme makes public anyway.
  return left.length === right.length && timingSafeEqual(left, right);
}
