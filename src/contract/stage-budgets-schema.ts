import { z } from "zod";

const seconds = z.number().meta({ description: "seconds" });

const StageBudgetUseSchema = z.object({
  stage: z.string(),
  budgetSeconds: seconds,
  attempts: z.number().int().meta({ description: "eligible attempts that ran the stage" }),
  overran: z.number().int().meta({ description: "of those, attempts above the budget" }),
  overrunRate: z.number().nullable(),
  p50: seconds.nullable(),
  p95: seconds.nullable(),
  p50OfBudget: z.number().nullable(),
  p95OfBudget: z.number().nullable(),
  overrunSeconds: seconds.meta({ description: "time beyond the budget, added up" }),
  breachingWithOverrun: z
    .number()
    .int()
    .meta({ description: "bad attempts in which the stage overran" }),
  breachingShare: z.number().nullable().meta({ description: "of the bad attempts" }),
});

/** GET /api/v1/insight/budgets and `deployslo budgets --format json`. */
export const StageBudgetsSchema = z
  .object({
    slo: z.string(),
    selector: z.array(z.string()),
    from: z.string().nullable(),
    to: z.string().nullable(),
    complete: z.boolean(),
    thresholdSeconds: seconds,
    budgetSumSeconds: seconds.meta({ description: "every budget added up" }),
    eligible: z.number().int(),
    breaching: z.number().int(),
    stages: z.array(StageBudgetUseSchema).meta({ description: "in the spec's order" }),
    criticalPath: z
      .object({
        stages: z.array(z.string()),
        budgetSeconds: seconds,
        attempts: z.number().int(),
        exceedsThreshold: z.boolean(),
      })
      .nullable()
      .meta({ description: "the budgeted stages most often on the recorded critical path" }),
  })
  .meta({ id: "StageBudgets" });

export type StageBudgetsJson = z.output<typeof StageBudgetsSchema>;
