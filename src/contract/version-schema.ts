import { z } from "zod";
import { MAX_NAME } from "./wire-limits.js";

/** A model version: a non-empty string, or an integer read as its decimal string. */
export const VersionSchema = z
  .union([
    z.string().min(1).max(MAX_NAME),
    z
      .number()
      .refine((n) => Number.isInteger(n), "must be an integer")
      .meta({ type: "integer" }),
  ])
  .meta({
    description: "the version being promoted (integers are read as strings)",
    examples: ["7", 7],
  });
