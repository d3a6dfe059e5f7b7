import { z } from "zod";

/** What POST /api/v1/attempts answers. */
export const IngestResultSchema = z.object({
  accepted: z.number().int(),
  inserted: z.number().int(),
  updated: z.number().int(),
});

export type IngestResult = z.output<typeof IngestResultSchema>;
