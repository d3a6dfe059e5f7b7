import { z } from "zod";

/** What POST /api/v1/events answers. */
export const EventIngestResultSchema = z.object({
  accepted: z.number().int(),
  duplicates: z.number().int().meta({ description: "events whose id was already stored" }),
  attempts: z.number().int().meta({ description: "attempts updated" }),
});

export type EventIngestResult = z.output<typeof EventIngestResultSchema>;
