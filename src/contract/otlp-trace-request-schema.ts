import { z } from "zod";

const AnyValueSchema = z.object({
  stringValue: z.string().optional(),
  boolValue: z.boolean().optional(),
  intValue: z.union([z.string(), z.number().int()]).optional(),
  doubleValue: z.number().optional(),
  arrayValue: z.object({ values: z.array(z.unknown()) }).optional(),
  kvlistValue: z.object({ values: z.array(z.unknown()) }).optional(),
  bytesValue: z.string().optional(),
});
const KeyValueSchema = z.object({ key: z.string(), value: AnyValueSchema });
const Int64Schema = z.union([z.string().regex(/^\d+$/), z.number().int()]);

/**
 * The part of OTLP's ExportTraceServiceRequest (JSON encoding) that POST /v1/traces reads; other
 * fields are ignored as OTLP requires. Documentation for the OpenAPI document: the route reads
 * the body with decodeOtlpTraces, which names the field of every problem.
 */
export const OtlpTraceRequestSchema = z
  .object({
    resourceSpans: z
      .array(
        z.object({
          resource: z.object({ attributes: z.array(KeyValueSchema).optional() }).optional(),
          scopeSpans: z
            .array(
              z.object({
                spans: z
                  .array(
                    z.object({
                      traceId: z.string().regex(/^[0-9a-fA-F]{32}$/),
                      spanId: z.string().regex(/^[0-9a-fA-F]{16}$/),
                      parentSpanId: z.string().optional(),
                      name: z.string().optional(),
                      kind: z.number().int().optional(),
                      startTimeUnixNano: Int64Schema,
                      endTimeUnixNano: Int64Schema,
                      attributes: z.array(KeyValueSchema).optional(),
                      status: z
                        .object({
                          code: z.number().int().optional(),
                          message: z.string().optional(),
                        })
                        .optional(),
                    }),
                  )
                  .optional(),
              }),
            )
            .optional(),
        }),
      )
      .optional(),
  })
  .meta({ id: "ExportTraceServiceRequest" });
