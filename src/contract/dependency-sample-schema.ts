import { z } from "zod";
import { AttributesSchema } from "./attributes-schema.js";
import { nameSchema } from "./name-schema.js";
import { TimestampSchema } from "./timestamp-schema.js";

export const DependencySampleSchema = z
  .strictObject({
    name: nameSchema("registry_pull, image_pull, infra_api, mesh_propagation or a name of yours"),
    seconds: z.number().min(0).meta({ description: "how long it took, in seconds" }),
    at: TimestampSchema.nullish().meta({ description: "when the sample was observed" }),
    attributes: AttributesSchema.nullish(),
  })
  .meta({ description: "a supporting-SLI sample" });

export type DependencySampleRecord = z.output<typeof DependencySampleSchema>;
