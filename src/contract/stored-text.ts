import { z } from "zod";

// The same rule as the core's textProblem (the contract imports nothing but zod): NUL, or a
// high surrogate not followed by a low one, or a low one not after a high one.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * A string of `min`–`max` characters that the stores keep exactly: no NUL, no lone surrogate.
 * PostgreSQL fails on NUL where SQLite stores it, so a request body that goes to the store
 * must be checked before it gets there.
 */
export function storedText(min: number, max: number) {
  return z
    .string()
    .min(min)
    .max(max)
    .refine((text) => !text.includes("\u0000") && !LONE_SURROGATE.test(text), {
      message: "must not contain NUL (\\u0000) or a lone UTF-16 surrogate",
    });
}
