import { z } from "zod";

/** A notification's delivery to one target: still trying, done, or given up. */
export const DeliveryStatusSchema = z.enum(["pending", "delivered", "dead"]);

export type DeliveryStatus = z.output<typeof DeliveryStatusSchema>;
