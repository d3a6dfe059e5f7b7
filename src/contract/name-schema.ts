import { z } from "zod";
import { MAX_NAME } from "./wire-limits.js";

/** A non-empty name of at most MAX_NAME characters, described for the OpenAPI document. */
export function nameSchema(description: string) {
  return z.string().min(1).max(MAX_NAME).meta({ description });
}
