import { z } from "zod";
import { OUTCOMES, STAGE_KINDS, STAGE_STATUSES } from "../../core/attempt/attempt.js";
import { parseTimestamp } from "../../core/primitives/timestamp.js";

/**
 * zod schemas of the JSON record format (docs/records.md), for the OpenAPI document and the
 * request types. They accept exactly what parseAttemptRecord accepts, cross-field rules
 * included (schemas-agree.test.ts holds them to it); the hand-written parser stays the one
 * that turns a record into an Attempt and words the problems.
 */

const MAX_NAME = 256;
const MAX_VALUE = 1024;
const RFC_3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** An RFC 3339 timestamp with a time zone, read to the millisecond. */
export const TimestampSchema = z
  .string()
  .regex(RFC_3339, "must be an RFC 3339 timestamp with a time zone (2026-10-01T10:00:00Z)")
  .refine((s) => parseTimestamp(s) !== undefined, "is not a valid date and time")
  .meta({ description: "RFC 3339 with a time zone (`Z` or `±hh:mm`), e.g. 2026-10-01T10:00:00Z" });

export function nameSchema(description: string) {
  return z.string().min(1).max(MAX_NAME).meta({ description });
}

/** A model version: a non-empty string, or an integer read as its decimal string. */
export const VersionSchema = z
  .union([
    z.string().min(1).max(MAX_NAME),
    z
      .number()
      .refine((n) => Number.isInteger(n), "must be an integer")
      .meta({ type: "integer" }),
  ])
  .meta({
    description: "the version being promoted (integers are read as strings)",
    examples: ["7", 7],
  });

export const LabelsSchema = z
  .record(z.string().min(1).max(MAX_NAME), z.string().max(MAX_VALUE))
  .meta({
    description: "matched by SLO selectors (team, region, …)",
    examples: [{ team: "risk" }],
  });

export const AttributesSchema = z
  .record(z.string(), z.union([z.string().max(MAX_VALUE), z.number(), z.boolean()]))
  .meta({ description: "free-form string, number or boolean values" });

/** The time of an optional field, compared only once it is known to be valid. */
function ms(value: string | null | undefined): number | undefined {
  return value === undefined || value === null ? undefined : parseTimestamp(value);
}

export const StageRecordSchema = z
  .strictObject({
    name: nameSchema("the stage: validate, stage-artifacts, provision, health-check, …"),
    startedAt: TimestampSchema.meta({ description: "the stage started" }),
    endedAt: TimestampSchema.nullish().meta({
      description: "the stage ended; absent while it runs",
    }),
    status: z.enum(STAGE_STATUSES).optional().meta({
      description:
        "default succeeded when endedAt is set, else in_progress; any other than in_progress needs endedAt",
    }),
    kind: z.enum(STAGE_KINDS).optional().meta({
      description: "active for work, wait for queueing, approvals and hand-offs; default active",
    }),
    attributes: AttributesSchema.nullish(),
  })
  .superRefine((stage, ctx) => {
    const startedAt = ms(stage.startedAt);
    const endedAt = ms(stage.endedAt);
    if (startedAt !== undefined && endedAt !== undefined && endedAt < startedAt) {
      ctx.addIssue({ code: "custom", path: ["endedAt"], message: "endedAt is before startedAt" });
    }
    const ended = stage.endedAt !== undefined && stage.endedAt !== null;
    if (stage.status === "in_progress" && ended) {
      ctx.addIssue({ code: "custom", path: ["status"], message: "in_progress but endedAt is set" });
    } else if (stage.status !== undefined && stage.status !== "in_progress" && !ended) {
      ctx.addIssue({ code: "custom", path: ["endedAt"], message: `${stage.status} needs endedAt` });
    }
  })
  .meta({ description: "a span inside the attempt; it may not end before it starts" });

export const DependencySampleSchema = z
  .strictObject({
    name: nameSchema("registry_pull, image_pull, infra_api, mesh_propagation or a name of yours"),
    seconds: z.number().min(0).meta({ description: "how long it took, in seconds" }),
    at: TimestampSchema.nullish().meta({ description: "when the sample was observed" }),
    attributes: AttributesSchema.nullish(),
  })
  .meta({ description: "a supporting-SLI sample" });

const ENDED_OUTCOMES: ReadonlySet<string> = new Set([
  "failed",
  "rolled_back",
  "timed_out",
  "cancelled",
]);

export const AttemptRecordSchema = z
  .strictObject({
    id: nameSchema("unique per attempt; a later record with the same id replaces an earlier one"),
    model: nameSchema("model name in the registry"),
    version: VersionSchema,
    environment: nameSchema("e.g. production, staging"),
    labels: LabelsSchema.nullish(),
    startedAt: TimestampSchema.meta({
      description: "the promote request was received: the SLO timer starts",
    }),
    servingAt: TimestampSchema.nullish().meta({
      description: "the new version served its first successful inference: the timer stops",
    }),
    endedAt: TimestampSchema.nullish().meta({ description: "the attempt ended" }),
    outcome: z.enum(OUTCOMES).nullish().meta({
      description:
        "default succeeded when servingAt is set, else in_progress. succeeded requires servingAt; failed, rolled_back, timed_out and cancelled require endedAt; in_progress has neither",
    }),
    stages: z.array(StageRecordSchema).nullish(),
    dependencies: z.array(DependencySampleSchema).nullish(),
    attributes: AttributesSchema.nullish(),
  })
  .superRefine((record, ctx) => {
    const issue = (path: string, message: string) =>
      ctx.addIssue({ code: "custom", path: [path], message });
    const startedAt = ms(record.startedAt);
    const servingAt = ms(record.servingAt);
    const endedAt = ms(record.endedAt);
    const served = record.servingAt !== undefined && record.servingAt !== null;
    const ended = record.endedAt !== undefined && record.endedAt !== null;
    const outcome = record.outcome ?? (served ? "succeeded" : "in_progress");
    if (startedAt !== undefined && servingAt !== undefined && servingAt < startedAt) {
      issue("servingAt", "servingAt is before startedAt");
    }
    if (startedAt !== undefined && endedAt !== undefined && endedAt < startedAt) {
      issue("endedAt", "endedAt is before startedAt");
    }
    if (servingAt !== undefined && endedAt !== undefined && endedAt < servingAt) {
      issue("endedAt", "endedAt is before servingAt");
    }
    if (outcome === "succeeded" && !served)
      issue("servingAt", "outcome succeeded requires servingAt");
    if (ENDED_OUTCOMES.has(outcome) && !ended)
      issue("endedAt", `outcome ${outcome} requires endedAt`);
    if (outcome === "in_progress" && (served || ended)) {
      issue("outcome", "outcome in_progress contradicts servingAt or endedAt");
    }
  })
  .meta({
    id: "AttemptRecord",
    description: "one deployment attempt (docs/records.md)",
  });

/** The body of a record upload: one record or an array of them. */
export const AttemptRecordBatchSchema = z
  .union([AttemptRecordSchema, z.array(AttemptRecordSchema)])
  .meta({ description: "one attempt record, or an array of them" });

export type StageRecordInput = z.input<typeof StageRecordSchema>;
export type DependencySampleInput = z.input<typeof DependencySampleSchema>;
export type AttemptRecordInput = z.input<typeof AttemptRecordSchema>;
export type AttemptRecordBatchInput = z.input<typeof AttemptRecordBatchSchema>;
