import { z } from "zod";
import { AttributesSchema } from "./attributes-schema.js";
import { DependencySampleSchema } from "./dependency-sample-schema.js";
import { LabelsSchema } from "./labels-schema.js";
import { nameSchema } from "./name-schema.js";
import { OutcomeSchema } from "./outcome-schema.js";
import { StageRecordSchema } from "./stage-record-schema.js";
import { instantMs, TimestampSchema } from "./timestamp-schema.js";
import { VersionSchema } from "./version-schema.js";

const ENDED_OUTCOMES: ReadonlySet<string> = new Set([
  "failed",
  "rolled_back",
  "timed_out",
  "cancelled",
]);

/**
 * One attempt in the JSON record format (docs/records.md), cross-field rules included. The
 * core's parseAttemptRecord is a faster reader of the same format; a property test holds the
 * two to the same answers.
 */
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
    outcome: OutcomeSchema.nullish().meta({
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
    const startedAt = instantMs(record.startedAt);
    const servingAt = instantMs(record.servingAt);
    const endedAt = instantMs(record.endedAt);
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

/** A record as sent: a version may be an integer, optional fields may be null. */
export type AttemptRecordInput = z.input<typeof AttemptRecordSchema>;
export type AttemptRecord = z.output<typeof AttemptRecordSchema>;
