import { z } from "zod";
import { DurationSummarySchema } from "./duration-summary-schema.js";

const FingerprintSchema = z.record(z.string(), z.string()).meta({
  description: "fingerprint keys (docs/records.md#environment-fingerprint) and their values",
});

const OutcomeFiguresSchema = z.object({
  attempts: z.number().int(),
  finished: z.number().int().meta({ description: "succeeded, failed, rolled back or timed out" }),
  failures: z.number().int(),
  failureRate: z.number().nullable(),
  durations: DurationSummarySchema,
});

const ShiftTestSchema = z.object({
  pValue: z.number().meta({ description: "two-sided Fisher exact test" }),
  significant: z.boolean().meta({ description: "pValue below testThreshold" }),
});

const DifferenceSchema = z.object({
  key: z.string(),
  against: z.enum(["validated", "trained"]),
  serving: z.string(),
  reference: z.string(),
});

/** GET /api/v1/insight/drift and `deployslo drift --format json`. */
export const EnvironmentDriftSchema = z
  .object({
    selector: z.array(z.string()),
    from: z.string().nullable(),
    to: z.string().nullable(),
    complete: z.boolean(),
    attempts: z.number().int(),
    fingerprints: z.array(
      OutcomeFiguresSchema.extend({
        fingerprint: FingerprintSchema,
        text: z.string().meta({ description: "key=value, …; empty: no fingerprint recorded" }),
        models: z.array(z.string()),
        environments: z.array(z.string()),
        first: z.string(),
        last: z.string(),
      }),
    ),
    mismatches: z.object({
      checked: z.number().int(),
      mismatched: OutcomeFiguresSchema,
      matching: OutcomeFiguresSchema,
      differences: z.array(DifferenceSchema.extend({ attempts: z.number().int() })),
      attempts: z.array(
        z.object({
          id: z.string(),
          model: z.string(),
          version: z.string(),
          environment: z.string(),
          startedAt: z.string(),
          outcome: z.string(),
          differences: z.array(DifferenceSchema),
        }),
      ),
    }),
    compare: z
      .number()
      .int()
      .meta({ description: "attempts compared on each side of a change, at most" }),
    alpha: z.number(),
    testThreshold: z.number(),
    changes: z.array(
      z.object({
        model: z.string(),
        environment: z.string(),
        at: z.string(),
        attemptId: z.string(),
        from: FingerprintSchema,
        to: FingerprintSchema,
        changed: z.array(
          z.object({ key: z.string(), from: z.string().nullable(), to: z.string().nullable() }),
        ),
        before: OutcomeFiguresSchema,
        after: OutcomeFiguresSchema,
        failureRate: ShiftTestSchema,
        p95: ShiftTestSchema,
        coincides: z.boolean(),
      }),
    ),
  })
  .meta({ id: "EnvironmentDrift" });

export type EnvironmentDriftJson = z.output<typeof EnvironmentDriftSchema>;
