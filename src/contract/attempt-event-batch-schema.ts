import { z } from "zod";
import { AttemptEventSchema } from "./attempt-event-schema.js";

/** The body of an event upload: one event or an array of them. */
export const AttemptEventBatchSchema = z
  .union([AttemptEventSchema, z.array(AttemptEventSchema)])
  .meta({ description: "one event, or an array of them" });

export type AttemptEventBatchInput = z.input<typeof AttemptEventBatchSchema>;
