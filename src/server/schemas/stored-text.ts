import { z } from "zod";
import { textProblem } from "../../core/primitives/text-problem.js";

/**
 * A string of `min`–`max` characters that the stores keep exactly: no NUL, no lone surrogate
 * (textProblem). PostgreSQL fails on NUL where SQLite stores it, so a request body that goes
 * to the store must be checked before it gets there.
 */
export function storedText(min: number, max: number) {
  return z
    .string()
    .min(min)
    .max(max)
    .refine((text) => textProblem(text) === undefined, {
      message: "must not contain NUL (\\u0000) or a lone UTF-16 surrogate",
    });
}
