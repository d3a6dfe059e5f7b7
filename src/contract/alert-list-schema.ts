import { z } from "zod";
import { AlertSchema } from "./alert-schema.js";
import { AlertTransitionSchema } from "./alert-transition-schema.js";

/** GET /api/v1/alerts: every alert's state and the recent transitions, newest first. */
export const AlertListSchema = z.object({
  alerts: z.array(AlertSchema),
  transitions: z.array(AlertTransitionSchema),
});

export type AlertList = z.output<typeof AlertListSchema>;
