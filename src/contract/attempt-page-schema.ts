import { z } from "zod";
import { AttemptRecordSchema } from "./attempt-record-schema.js";

/** GET /api/v1/attempts: one page of attempts, newest first. */
export const AttemptPageSchema = z.object({
  attempts: z.array(AttemptRecordSchema),
  nextCursor: z.string().nullable(),
});

export type AttemptPage = z.output<typeof AttemptPageSchema>;
