import { z } from "zod";
import { TimestampSchema } from "./timestamp-schema.js";

/** A query parameter holding an RFC 3339 instant. */
export const InstantSchema = z
  .string()
  .refine((value) => TimestampSchema.safeParse(value).success, {
    message: "must be an RFC 3339 timestamp with a time zone",
  })
  .meta({ description: "RFC 3339 timestamp, e.g. 2026-10-14T09:30:00Z" });
