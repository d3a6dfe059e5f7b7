import { z } from "zod";
import { ChangeTypeSchema } from "./change-type-schema.js";

/**
 * What an SLO's error budget policy does to a normal change right now: `open` lets it through,
 * `approval_required` holds it for an approval, `frozen` denies it.
 */
export const PolicyStateSchema = z.enum(["open", "approval_required", "frozen"]);

export type PolicyState = z.output<typeof PolicyStateSchema>;

/** An SLO's policy state and why (docs/enforcement.md#the-policy-state). */
export const SloPolicySchema = z
  .object({
    state: PolicyStateSchema,
    reason: z.string().meta({ description: "why, in one sentence, with the numbers" }),
    unblock: z
      .string()
      .nullable()
      .meta({ description: "what lets a normal change through again; null while open" }),
    remainingRatio: z
      .number()
      .meta({ description: "the remaining error budget ratio it rests on" }),
    approvalBelow: z
      .number()
      .nullable()
      .meta({ description: "spec.policy.approvalBelow as a fraction; null: never" }),
    freezeWhenExhausted: z.boolean(),
    exempt: z.array(ChangeTypeSchema).readonly(),
    declared: z
      .boolean()
      .meta({ description: "false: the SLO has no spec.policy and follows the defaults" }),
    reportOnly: z.boolean().meta({
      description:
        "the policy never holds a promotion (no freeze, no approval threshold), as dependency SLOs by default",
    }),
  })
  .meta({ id: "SloPolicy" });

export type SloPolicy = z.output<typeof SloPolicySchema>;
