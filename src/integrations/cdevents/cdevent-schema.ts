import { z } from "zod";
import { TimestampSchema } from "../../contract/timestamp-schema.js";
import { MAX_NAME } from "../../contract/wire-limits.js";

const text = z.string().min(1).max(MAX_NAME);

/**
 * A CDEvent (cdevents/spec, schemas/*.json): `context` names the version as `specversion`
 * from v0.5, as `version` up to v0.4.1; both are read.
 */
export const CdEventSchema = z.object({
  context: z
    .object({
      specversion: z.string().min(1).optional(),
      version: z.string().min(1).optional(),
      id: text,
      source: z.string().min(1).max(4096),
      type: z
        .string()
        .regex(
          /^dev\.cdevents\.[a-z]+\.[a-z]+\.\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/,
          "must be dev.cdevents.<subject>.<predicate>.<version>",
        ),
      timestamp: TimestampSchema,
      chainId: z.string().nullish(),
    })
    .refine((context) => context.specversion !== undefined || context.version !== undefined, {
      message: "specversion (or, before v0.5, version) is required",
      path: ["specversion"],
    }),
  subject: z.object({
    id: z.string().min(1).max(4096),
    source: z.string().nullish(),
    content: z.record(z.string(), z.unknown()),
  }),
  customData: z.unknown().optional(),
  customDataContentType: z.string().nullish(),
});

export type CdEvent = z.output<typeof CdEventSchema>;

const outcome = z.enum(["success", "failure", "cancel", "error"]).nullish();

export const PipelineRunContentSchema = z.object({
  pipelineName: z.string().max(MAX_NAME).nullish(),
  outcome,
  errors: z.string().nullish(),
  uri: z.string().nullish(),
  url: z.string().nullish(),
});

export const TaskRunContentSchema = z.object({
  taskName: z.string().max(MAX_NAME).nullish(),
  outcome,
  errors: z.string().nullish(),
  uri: z.string().nullish(),
  url: z.string().nullish(),
});

export const ServiceContentSchema = z.object({
  environment: z.object({ id: text, source: z.string().nullish() }),
  artifactId: z.string().min(1).max(4096),
});
