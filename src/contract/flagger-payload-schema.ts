import { z } from "zod";
import { storedText } from "./stored-text.js";
import { MAX_NAME } from "./wire-limits.js";

const Name = storedText(1, MAX_NAME);

/** Flagger's webhook payload (CanaryWebhookPayload). */
export const FlaggerPayloadSchema = z.object({
  name: Name,
  namespace: Name,
  phase: storedText(0, 4096).optional(),
  checksum: storedText(0, 4096).optional(),
  metadata: z.record(storedText(0, 4096), storedText(0, 65_536)).optional(),
});

export type FlaggerPayload = z.output<typeof FlaggerPayloadSchema>;
