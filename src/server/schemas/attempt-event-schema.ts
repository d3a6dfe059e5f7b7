import { z } from "zod";
import { OUTCOMES, STAGE_KINDS, STAGE_STATUSES } from "../../core/attempt/attempt.js";
import { parseTimestamp } from "../../core/primitives/timestamp.js";
import {
  AttributesSchema,
  LabelsSchema,
  nameSchema,
  TimestampSchema,
  VersionSchema,
} from "./attempt-record-schema.js";

/**
 * zod schemas of the lifecycle events POSTed as they happen (parseAttemptEvent reads the same
 * shape), for the OpenAPI document and the request types. An optional field may also be null,
 * which reads as absent.
 */

const common = {
  id: nameSchema(
    "unique per event: a re-delivered event with a known id is ignored; assigned when absent",
  ).nullish(),
  attemptId: nameSchema("the attempt this event belongs to"),
  at: TimestampSchema.meta({ description: "when it happened" }),
};

const kind = z
  .enum(STAGE_KINDS)
  .nullish()
  .meta({ description: "active for work, wait for queueing, approvals and hand-offs" });

export const AttemptStartedEventSchema = z
  .strictObject({
    type: z.literal("attempt.started"),
    ...common,
    at: TimestampSchema.meta({
      description: "the promote request was received: the SLO timer starts",
    }),
    model: nameSchema("model name in the registry"),
    version: VersionSchema,
    environment: nameSchema("e.g. production, staging"),
    labels: LabelsSchema.nullish(),
    attributes: AttributesSchema.nullish(),
  })
  .meta({ description: "the promote request was received" });

export const StageStartedEventSchema = z
  .strictObject({
    type: z.literal("stage.started"),
    ...common,
    stage: nameSchema("the stage name: validate, provision, health-check, …"),
    kind: kind.meta({ description: "active (default) for work, wait for queueing and approvals" }),
    attributes: AttributesSchema.nullish(),
  })
  .meta({ description: "a stage started" });

export const StageFinishedEventSchema = z
  .strictObject({
    type: z.literal("stage.finished"),
    ...common,
    stage: nameSchema("the stage name; pairs with the stage.started of the same name"),
    status: z
      .enum(STAGE_STATUSES)
      .exclude(["in_progress"])
      .nullish()
      .meta({ description: "default succeeded" }),
    startedAt: TimestampSchema.nullish().meta({
      description: "when the stage started, for reporters that send one event per stage; ≤ at",
    }),
    kind,
    attributes: AttributesSchema.nullish(),
  })
  .superRefine((event, ctx) => {
    const at = parseTimestamp(event.at);
    const startedAt = typeof event.startedAt === "string" ? parseTimestamp(event.startedAt) : null;
    if (at !== undefined && startedAt !== undefined && startedAt !== null && startedAt > at) {
      ctx.addIssue({ code: "custom", path: ["startedAt"], message: "startedAt is after at" });
    }
  })
  .meta({ description: "a stage ended" });

export const AttemptServingEventSchema = z
  .strictObject({
    type: z.literal("attempt.serving"),
    ...common,
    at: TimestampSchema.meta({
      description: "the new version served its first successful inference: the timer stops",
    }),
  })
  .meta({ description: "the new version served an inference" });

export const AttemptFinishedEventSchema = z
  .strictObject({
    type: z.literal("attempt.finished"),
    ...common,
    outcome: z
      .enum(OUTCOMES)
      .exclude(["in_progress"])
      .meta({ description: "how the attempt ended" }),
  })
  .meta({ description: "the attempt ended" });

export const DependencyMeasuredEventSchema = z
  .strictObject({
    type: z.literal("dependency.measured"),
    ...common,
    at: TimestampSchema.nullish().meta({ description: "when the sample was observed" }),
    name: nameSchema("registry_pull, image_pull, infra_api, mesh_propagation or a name of yours"),
    seconds: z.number().min(0).meta({ description: "how long it took, in seconds" }),
    attributes: AttributesSchema.nullish(),
  })
  .meta({ description: "a supporting-SLI sample" });

export const AttemptEventSchema = z
  .discriminatedUnion("type", [
    AttemptStartedEventSchema,
    StageStartedEventSchema,
    StageFinishedEventSchema,
    AttemptServingEventSchema,
    AttemptFinishedEventSchema,
    DependencyMeasuredEventSchema,
  ])
  .meta({ id: "AttemptEvent", description: "one lifecycle event of an attempt" });

/** The body of an event upload: one event or an array of them. */
export const AttemptEventBatchSchema = z
  .union([AttemptEventSchema, z.array(AttemptEventSchema)])
  .meta({ description: "one event, or an array of them" });

export type AttemptEventInput = z.input<typeof AttemptEventSchema>;
export type AttemptEventBatchInput = z.input<typeof AttemptEventBatchSchema>;
