import type { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { OtlpExportResponseSchema } from "../../contract/otlp-export-response-schema.js";
import { OtlpStatusSchema } from "../../contract/otlp-status-schema.js";
import { OtlpTraceRequestSchema } from "../../contract/otlp-trace-request-schema.js";
import { DeploysloError } from "../../core/primitives/error-codes.js";
import { receiveOtlpTraces } from "../../services/receive-otlp-traces.js";
import { admitEvents } from "../admit-events.js";
import { documentationOnly } from "../documentation-only.js";
import { sendOtlpError } from "../otlp-status.js";
import { problemFor } from "../problem-details.js";
import type { ServerDeps } from "../server-deps.js";

/**
 * Inflates a gzip body (OTLP/HTTP clients may send `Content-Encoding: gzip`; the Collector's
 * otlphttp exporter does by default). The body limit then applies to the inflated bytes too,
 * and the encoded length is reported so Fastify checks Content-Length against it.
 */
async function inflate(request: FastifyRequest, payload: Readable): Promise<Readable> {
  const encoding = (request.headers["content-encoding"] ?? "identity").toLowerCase();
  if (encoding === "identity") return payload;
  if (encoding !== "gzip") {
    throw new DeploysloError(
      "UNSUPPORTED_MEDIA_TYPE",
      `Content-Encoding ${encoding} is not supported: send gzip or an unencoded body`,
    );
  }
  const gunzip = createGunzip();
  const inflated = gunzip as typeof gunzip & { receivedEncodedLength: number };
  inflated.receivedEncodedLength = 0;
  payload.on("data", (chunk: Buffer) => {
    inflated.receivedEncodedLength += chunk.length;
  });
  payload.on("error", (error) => gunzip.destroy(error));
  // Fastify listens for the stream's errors once this resolves; zlib reports them later.
  gunzip.on("error", () => undefined);
  payload.pipe(gunzip);
  return inflated;
}

/** Errors of reading the body, said in OTLP's terms: which encoding this receiver takes. */
function bodyError(error: unknown): unknown {
  if (error instanceof DeploysloError) return error;
  if ((error as { code?: unknown } | undefined)?.code === "Z_DATA_ERROR") {
    return new DeploysloError(
      "INVALID_REQUEST",
      `the body is not valid gzip (it was sent with Content-Encoding: gzip): ${(error as Error).message}`,
    );
  }
  if (problemFor(error)?.status !== 415) return error;
  return new DeploysloError(
    "UNSUPPORTED_MEDIA_TYPE",
    "POST /v1/traces takes OTLP/HTTP JSON (Content-Type: application/json): set the exporter's protocol to http/json; binary protobuf is not supported",
  );
}

/** OTLP/HTTP trace receiver: spans with the CI/CD conventions become attempts and stages. */
export function otlpTraceRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.withTypeProvider<ZodTypeProvider>().post(
    "/v1/traces",
    {
      schema: {
        summary:
          "OTLP/HTTP JSON trace export: CI/CD pipeline-run and task spans become attempts and stages (docs/opentelemetry.md)",
        tags: ["ingest"],
        consumes: ["application/json"],
        body: documentationOnly(OtlpTraceRequestSchema),
        response: {
          200: OtlpExportResponseSchema,
          400: OtlpStatusSchema,
          401: OtlpStatusSchema,
          403: OtlpStatusSchema,
          413: OtlpStatusSchema,
          415: OtlpStatusSchema,
          429: OtlpStatusSchema,
          503: OtlpStatusSchema,
        },
      },
      preParsing: async (request, _reply, payload) => inflate(request, payload),
      errorHandler: (error, _request, reply) => sendOtlpError(reply, bodyError(error)),
    },
    async (request, reply) => {
      const grant = deps.authorize.scoped(request, "ingest");
      const result = await receiveOtlpTraces({
        ctx: deps,
        input: {
          body: request.body,
          limits: deps.config.recordLimits,
          admit:
            grant.scope === undefined
              ? undefined
              : (events) => admitEvents(grant, deps.store, events),
        },
      });
      reply.type("application/json");
      if (result.rejectedSpans === 0) return {};
      return {
        partialSuccess: {
          rejectedSpans: String(result.rejectedSpans),
          errorMessage: `${result.rejectedSpans} of ${result.spans} spans rejected: ${result.problems.join("; ")}`,
        },
      };
    },
  );
}
