import { z } from "zod";

/**
 * What POST /v1/traces answers on success: OTLP's ExportTraceServiceResponse in its JSON
 * encoding. `partialSuccess` is set only when some spans were rejected; `rejectedSpans` is a
 * 64-bit integer, so a decimal string (opentelemetry-proto, docs/specification.md).
 */
export const OtlpExportResponseSchema = z
  .object({
    partialSuccess: z
      .object({
        rejectedSpans: z.string().regex(/^\d+$/),
        errorMessage: z.string(),
      })
      .optional(),
  })
  .meta({ id: "ExportTraceServiceResponse" });

export type OtlpExportResponse = z.output<typeof OtlpExportResponseSchema>;
