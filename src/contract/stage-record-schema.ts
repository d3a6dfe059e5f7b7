import { z } from "zod";
import { AttributesSchema } from "./attributes-schema.js";
import { nameSchema } from "./name-schema.js";
import { StageKindSchema } from "./stage-kind-schema.js";
import { StageStatusSchema } from "./stage-status-schema.js";
import { instantMs, TimestampSchema } from "./timestamp-schema.js";

export const StageRecordSchema = z
  .strictObject({
    name: nameSchema("the stage: validate, stage-artifacts, provision, health-check, …"),
    startedAt: TimestampSchema.meta({ description: "the stage started" }),
    endedAt: TimestampSchema.nullish().meta({
      description: "the stage ended; absent while it runs",
    }),
    status: StageStatusSchema.optional().meta({
      description:
        "default succeeded when endedAt is set, else in_progress; any other than in_progress needs endedAt",
    }),
    kind: StageKindSchema.optional().meta({
      description: "active for work, wait for queueing, approvals and hand-offs; default active",
    }),
    attributes: AttributesSchema.nullish(),
  })
  .superRefine((stage, ctx) => {
    const startedAt = instantMs(stage.startedAt);
    const endedAt = instantMs(stage.endedAt);
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

export type StageRecord = z.output<typeof StageRecordSchema>;
