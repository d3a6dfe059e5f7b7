import { z } from "zod";

/** What POST /api/v1/hooks/{source} answers. */
export const HookReceiptSchema = z
  .object({
    accepted: z.number().int().meta({ description: "attempt events stored" }),
    duplicates: z.number().int().meta({ description: "events already stored (a redelivery)" }),
    attempts: z.number().int().meta({ description: "attempts updated" }),
    attemptId: z
      .string()
      .nullable()
      .meta({ description: "the attempt the delivery was recorded on; null when ignored" }),
    ignored: z.string().optional().meta({
      description: "why a well-formed delivery recorded nothing (a ping, an unwatched alias)",
    }),
  })
  .meta({ id: "HookReceipt" });

export type HookReceiptJson = z.output<typeof HookReceiptSchema>;
