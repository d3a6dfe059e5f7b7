import { z } from "zod";

/** How an attempt ended, or `in_progress` while it has not. */
export const OutcomeSchema = z.enum([
  "succeeded",
  "failed",
  "rolled_back",
  "timed_out",
  "cancelled",
  "in_progress",
]);

export type Outcome = z.output<typeof OutcomeSchema>;
