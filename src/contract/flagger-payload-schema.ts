import { z } from "zod";
import { MAX_NAME } from "./wire-limits.js";

const Name = z.string().min(1).max(MAX_NAME);

/** Flagger's webhook payload (CanaryWebhookPayload). */
export const FlaggerPayloadSchema = z.object({
  name: Name,
  namespace: Name,
  phase: z.string().optional(),
  checksum: z.string().optional(),
  metadata: z.record(z.string(), z.string()).optional(),
});

export type FlaggerPayload = z.output<typeof FlaggerPayloadSchema>;
