import { z } from "zod";
import { DurationSummarySchema } from "./duration-summary-schema.js";
import { StageStatisticsSchema } from "./stage-statistics-schema.js";

/** GET /api/v1/insight/tail and `deployslo tail --format json`: stages sorted by share. */
export const TailAttributionSchema = StageStatisticsSchema.extend({
  selector: z.array(z.string()),
  from: z.string().nullable(),
  to: z.string().nullable(),
  durations: DurationSummarySchema,
  blamed: z
    .object({ stage: z.string(), share: z.number() })
    .nullable()
    .meta({ description: "the stage with the largest positive share of the extra time" }),
}).meta({ id: "TailAttribution" });

export type TailAttributionJson = z.output<typeof TailAttributionSchema>;
