import { z } from "zod";
import { AttributesSchema } from "./attributes-schema.js";
import { LabelsSchema } from "./labels-schema.js";
import { nameSchema } from "./name-schema.js";
import { OutcomeSchema } from "./outcome-schema.js";
import { StageKindSchema } from "./stage-kind-schema.js";
import { StageStatusSchema } from "./stage-status-schema.js";
import { instantMs, TimestampSchema } from "./timestamp-schema.js";
import { VersionSchema } from "./version-schema.js";

/*
 * The lifecycle events POSTed as they happen. An optional field may also be null, which reads
 * as absent. The core's parseAttemptEvent is a faster reader of the same format; a property
 * test holds the two to the same answers.
 */

const common = {
  id: nameSchema(
    "unique per event: a re-delivered event with a known id is ignored; assigned when absent",
  ).nullish(),
  attemptId: nameSchema("the attempt this event belongs to"),
  at: TimestampSchema.meta({ description: "when it happened" }),
};

const kind = StageKindSchema.nullish().meta({
  description: "active for work, wait for queueing, approvals and hand-offs",
});

const AttemptStartedEventSchema = z
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

const StageStartedEventSchema = z
  .strictObject({
    type: z.literal("stage.started"),
    ...common,
    stage: nameSchema("the stage name: validate, provision, health-check, …"),
    kind: kind.meta({ description: "active (default) for work, wait for queueing and approvals" }),
    attributes: AttributesSchema.nullish(),
  })
  .meta({ description: "a stage started" });

const StageFinishedEventSchema = z
  .strictObject({
    type: z.literal("stage.finished"),
    ...common,
    stage: nameSchema("the stage name; pairs with the stage.started of the same name"),
    status: StageStatusSchema.exclude(["in_progress"])
      .nullish()
      .meta({ description: "default succeeded" }),
    startedAt: TimestampSchema.nullish().meta({
      description: "when the stage started, for reporters that send one event per stage; ≤ at",
    }),
    kind,
    attributes: AttributesSchema.nullish(),
  })
  .superRefine((event, ctx) => {
    const at = instantMs(event.at);
    const startedAt = instantMs(event.startedAt);
    if (at !== undefined && startedAt !== undefined && startedAt > at) {
      ctx.addIssue({ code: "custom", path: ["startedAt"], message: "startedAt is after at" });
    }
  })
  .meta({ description: "a stage ended" });

const AttemptServingEventSchema = z
  .strictObject({
    type: z.literal("attempt.serving"),
    ...common,
    at: TimestampSchema.meta({
      description: "the new version served its first successful inference: the timer stops",
    }),
  })
  .meta({ description: "the new version served an inference" });

const AttemptFinishedEventSchema = z
  .strictObject({
    type: z.literal("attempt.finished"),
    ...common,
    outcome: OutcomeSchema.exclude(["in_progress"]).meta({ description: "how the attempt ended" }),
  })
  .meta({ description: "the attempt ended" });

const DependencyMeasuredEventSchema = z
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

export type AttemptEventInput = z.input<typeof AttemptEventSchema>;
export type AttemptEventJson = z.output<typeof AttemptEventSchema>;
export type AttemptEventType = AttemptEventJson["type"];
