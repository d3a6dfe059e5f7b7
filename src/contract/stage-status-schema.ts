import { z } from "zod";

export const StageStatusSchema = z.enum([
  "succeeded",
  "failed",
  "timed_out",
  "cancelled",
  "skipped",
  "in_progress",
]);

export type StageStatus = z.output<typeof StageStatusSchema>;
