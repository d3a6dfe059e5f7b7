import { z } from "zod";
import { SloPolicySchema } from "./slo-policy-schema.js";
import { SloStateSchema } from "./slo-state-schema.js";
import { SloStatusSchema } from "./slo-status-schema.js";

const OverviewSloSchema = SloStatusSchema.extend({
  state: SloStateSchema.meta({ description: "see docs/dashboard.md" }),
  selector: z.object({
    model: z.string().nullable(),
    environment: z.string().nullable(),
    labels: z.record(z.string(), z.string()),
  }),
  policy: SloPolicySchema.meta({
    description: "what the SLO's error budget policy does to a normal change now, and why",
  }),
});

const InProgressAttemptSchema = z.object({
  id: z.string(),
  model: z.string(),
  version: z.string(),
  environment: z.string(),
  startedAt: z.string(),
  elapsedSeconds: z.number(),
  thresholdSeconds: z.number().nullable().meta({ description: "seconds" }),
  slos: z.array(z.string()).readonly(),
  currentStage: z.string().nullable(),
  timeoutAt: z.string().meta({
    description: "when it is recorded as timed_out unless its end is recorded first",
  }),
  stale: z.boolean().meta({
    description: "in progress past its threshold and half its in-progress timeout",
  }),
});

/** GET /api/v1/overview: every SLO in a scope with its state, and the attempts in progress. */
export const OverviewSchema = z
  .object({
    at: z.string(),
    models: z.array(z.string()).readonly().meta({ description: "models seen in stored attempts" }),
    environments: z.array(z.string()).readonly(),
    slos: z.array(OverviewSloSchema).readonly(),
    inProgress: z.array(InProgressAttemptSchema).readonly(),
    inProgressTruncated: z.boolean(),
    sample: z.boolean().meta({
      description: "the newest attempt in scope is generated sample data (attribute sample: true)",
    }),
  })
  .meta({ id: "Overview" });

export type Overview = z.output<typeof OverviewSchema>;
export type OverviewSlo = z.output<typeof OverviewSloSchema>;
export type InProgressAttempt = z.output<typeof InProgressAttemptSchema>;
