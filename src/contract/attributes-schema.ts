import { z } from "zod";
import { MAX_VALUE } from "./wire-limits.js";

export const AttributeValueSchema = z.union([z.string().max(MAX_VALUE), z.number(), z.boolean()]);

export const AttributesSchema = z
  .record(z.string(), AttributeValueSchema)
  .meta({ description: "free-form string, number or boolean values" });

export type AttributeValue = z.output<typeof AttributeValueSchema>;
export type Attributes = z.output<typeof AttributesSchema>;
