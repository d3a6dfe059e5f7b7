import { z } from "zod";

/**
 * What POST /v1/traces answers on an error: the google.rpc.Status message OTLP/HTTP requires
 * for every 4xx and 5xx, in JSON. `details` holds a google.rpc.ErrorInfo whose `reason` is the
 * code of docs/errors.md and, for bad data, a google.rpc.BadRequest naming each field.
 */
export const OtlpStatusSchema = z
  .object({
    code: z.number().int(),
    message: z.string(),
    details: z.array(
      z.union([
        z.object({
          "@type": z.literal("type.googleapis.com/google.rpc.ErrorInfo"),
          reason: z.string(),
          domain: z.literal("deployslo"),
        }),
        z.object({
          "@type": z.literal("type.googleapis.com/google.rpc.BadRequest"),
          fieldViolations: z.array(z.object({ field: z.string(), description: z.string() })),
        }),
      ]),
    ),
  })
  .meta({ id: "OtlpStatus" });

export type OtlpStatus = z.output<typeof OtlpStatusSchema>;
