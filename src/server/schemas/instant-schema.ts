import { z } from "zod";
import { parseTimestamp } from "../../core/primitives/timestamp.js";

/** A query parameter holding an RFC 3339 instant, checked by the core's parser. */
export const InstantSchema = z
  .string()
  .refine((value) => parseTimestamp(value) !== undefined, {
    message: "must be an RFC 3339 timestamp with a time zone",
  })
  .meta({ description: "RFC 3339 timestamp, e.g. 2026-10-14T09:30:00Z" });
