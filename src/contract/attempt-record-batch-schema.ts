import { z } from "zod";
import { AttemptRecordSchema } from "./attempt-record-schema.js";

/** The body of a record upload: one record or an array of them. */
export const AttemptRecordBatchSchema = z
  .union([AttemptRecordSchema, z.array(AttemptRecordSchema)])
  .meta({ description: "one attempt record, or an array of them" });

export type AttemptRecordBatchInput = z.input<typeof AttemptRecordBatchSchema>;
