import { z } from "zod";
import { AttemptRecordSchema } from "./attempt-record-schema.js";
import type { WrittenAttemptRecord } from "./written-attempt-record-schema.js";

/** GET /api/v1/attempts/{id}/trace: one attempt with its critical path and thresholds. */
export const AttemptTraceSchema = z
  .object({
    attempt: AttemptRecordSchema,
    criticalPath: z
      .array(z.number().int())
      .readonly()
      .meta({ description: "indexes into attempt.stages" }),
    slos: z.array(z.object({ name: z.string(), thresholdSeconds: z.number() })).readonly(),
  })
  .meta({ id: "AttemptTrace" });

/** The trace as the server writes it: its attempt a written record. */
export type AttemptTrace = Omit<z.output<typeof AttemptTraceSchema>, "attempt"> & {
  attempt: WrittenAttemptRecord;
};
