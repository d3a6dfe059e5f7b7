import { z } from "zod";
import { MAX_NAME } from "../../contract/wire-limits.js";

const optionalName = z
  .string()
  .max(MAX_NAME)
  .nullish()
  // Templates render a missing value as "" or "<no value>": read both as absent.
  .transform((value) =>
    value === "" || value === "<no value>" || value == null ? undefined : value,
  );

/**
 * The fields a deployment tool's payload may carry to name its attempt (docs/integrations.md,
 * "Correlation"): an attempt id, or the model, version and environment.
 */
export const CorrelationFieldsSchema = z.object({
  attemptId: optionalName,
  model: optionalName,
  version: z
    .union([z.string().max(MAX_NAME), z.number().int()])
    .nullish()
    .transform((value) =>
      value === "" || value === "<no value>" || value == null ? undefined : String(value),
    ),
  environment: optionalName,
});

export type CorrelationFields = z.output<typeof CorrelationFieldsSchema>;
