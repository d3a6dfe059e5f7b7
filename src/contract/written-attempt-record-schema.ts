import { z } from "zod";
import { AttemptRecordSchema } from "./attempt-record-schema.js";
import { AttributesSchema } from "./attributes-schema.js";
import { DependencySampleSchema } from "./dependency-sample-schema.js";
import { LabelsSchema } from "./labels-schema.js";
import { OutcomeSchema } from "./outcome-schema.js";
import { StageKindSchema } from "./stage-kind-schema.js";
import { StageRecordSchema } from "./stage-record-schema.js";
import { StageStatusSchema } from "./stage-status-schema.js";
import { TimestampSchema } from "./timestamp-schema.js";

const WrittenStageSchema = StageRecordSchema.safeExtend({
  endedAt: TimestampSchema.optional(),
  status: StageStatusSchema,
  kind: StageKindSchema,
  attributes: AttributesSchema.optional(),
});

const WrittenDependencySchema = DependencySampleSchema.safeExtend({
  at: TimestampSchema.optional(),
  attributes: AttributesSchema.optional(),
});

/**
 * A record as the server and `deployslo export` write it: a narrowing of AttemptRecordSchema
 * (every written record is a valid record) with the defaults filled in (`outcome`, a stage's
 * `status` and `kind`), the version a string, and absent or empty fields omitted, never null.
 */
export const WrittenAttemptRecordSchema = AttemptRecordSchema.safeExtend({
  version: z.string().min(1),
  labels: LabelsSchema.optional(),
  servingAt: TimestampSchema.optional(),
  endedAt: TimestampSchema.optional(),
  outcome: OutcomeSchema,
  stages: z.array(WrittenStageSchema).optional(),
  dependencies: z.array(WrittenDependencySchema).optional(),
  attributes: AttributesSchema.optional(),
});

export type WrittenAttemptRecord = z.output<typeof WrittenAttemptRecordSchema>;
export type WrittenStageRecord = z.output<typeof WrittenStageSchema>;
