import { z } from "zod";
import { TimestampSchema } from "../../contract/timestamp-schema.js";
import { MAX_NAME } from "../../contract/wire-limits.js";

const name = z.string().min(1).max(MAX_NAME);
const optionalName = z.string().max(MAX_NAME).optional();

/** A Knative condition (knative.dev/pkg/apis, duck v1 Status), as KServe sets them. */
export const KnativeConditionSchema = z.object({
  type: name,
  status: z.enum(["True", "False", "Unknown"]),
  severity: z.string().max(MAX_NAME).optional(),
  lastTransitionTime: TimestampSchema.optional(),
  reason: z.string().max(MAX_NAME).optional(),
  message: z.string().max(100_000).optional(),
});

/** A Knative Serving v1 TrafficTarget, as KServe copies it into the component's status. */
export const TrafficTargetSchema = z.object({
  tag: optionalName,
  revisionName: optionalName,
  configurationName: optionalName,
  latestRevision: z.boolean().optional(),
  percent: z.number().int().min(0).max(100).optional(),
  url: z.string().optional(),
});

/** KServe's ComponentStatusSpec (pkg/apis/serving/v1beta1/inference_service_status.go). */
export const ComponentStatusSchema = z.object({
  latestReadyRevision: optionalName,
  latestCreatedRevision: optionalName,
  previousRolledoutRevision: optionalName,
  latestRolledoutRevision: optionalName,
  traffic: z.array(TrafficTargetSchema).max(100).optional(),
  url: z.string().optional(),
});

/**
 * An InferenceService as the Kubernetes API returns it (serving.kserve.io/v1beta1): the fields
 * the receiver reads; the rest (spec, status.address, status.modelStatus…) passes unread.
 */
export const InferenceServiceSchema = z.object({
  apiVersion: z.literal("serving.kserve.io/v1beta1", {
    message: 'must be "serving.kserve.io/v1beta1"',
  }),
  kind: z.literal("InferenceService", { message: 'must be "InferenceService"' }),
  metadata: z.object({
    name,
    namespace: name,
    generation: z.number().int().optional(),
    labels: z.record(z.string(), z.string().max(MAX_NAME)).optional(),
    annotations: z.record(z.string(), z.string()).optional(),
  }),
  status: z
    .object({
      observedGeneration: z.number().int().optional(),
      conditions: z.array(KnativeConditionSchema).max(100).optional(),
      components: z
        .object({
          predictor: ComponentStatusSchema.optional(),
        })
        .optional(),
    })
    .optional(),
});

export type InferenceService = z.output<typeof InferenceServiceSchema>;
export type KnativeCondition = z.output<typeof KnativeConditionSchema>;

/** A Kubernetes watch event (`{"type": "MODIFIED", "object": {…}}`), as forwarders relay them. */
export const WatchEventSchema = z.object({
  type: z.enum(["ADDED", "MODIFIED", "DELETED", "BOOKMARK", "ERROR"]),
  object: z.unknown(),
});
