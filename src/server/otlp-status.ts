import type { FastifyReply } from "fastify";
import type { OtlpStatus } from "../contract/otlp-status-schema.js";
import { problemFor, STORE_RETRY_AFTER_SECONDS } from "./problem-details.js";

/** google.rpc.Code for each HTTP status an OTLP answer may carry (grpc's HTTP mapping). */
const RPC_CODE: Readonly<Record<number, number>> = {
  400: 3, // INVALID_ARGUMENT
  401: 16, // UNAUTHENTICATED
  403: 7, // PERMISSION_DENIED
  404: 5, // NOT_FOUND
  408: 4, // DEADLINE_EXCEEDED
  413: 8, // RESOURCE_EXHAUSTED
  415: 3,
  429: 8,
  431: 3,
  503: 14, // UNAVAILABLE
};
const INTERNAL = 13;

/** The field a problem line names: its first word when that is a path (`resourceSpans[0]…`). */
function fieldOf(line: string): string {
  const first = line.split(" ")[0] ?? "";
  return /^[A-Za-z_][\w.[\]]*$/.test(first) ? first : "";
}

/**
 * The one place errors of POST /v1/traces become answers: OTLP/HTTP requires a google.rpc.Status
 * body for every 4xx and 5xx (opentelemetry-proto, docs/specification.md, "Failures"), so this
 * route answers those instead of the API's problem documents, with the same status codes and
 * the error code of docs/errors.md as the ErrorInfo's reason.
 */
export function sendOtlpError(reply: FastifyReply, error: unknown): FastifyReply {
  const problem = problemFor(error);
  if (problem === undefined) reply.log.error({ err: error }, "internal error");
  const status = problem?.status ?? 500;
  const errors = problem?.errors ?? [];
  const body: OtlpStatus = {
    code: RPC_CODE[status] ?? INTERNAL,
    message: problem?.detail ?? "internal error; the server log has the details",
    details: [
      {
        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
        reason: problem?.code ?? "INTERNAL",
        domain: "deployslo",
      },
      ...(errors.length === 0
        ? []
        : [
            {
              "@type": "type.googleapis.com/google.rpc.BadRequest" as const,
              fieldViolations: errors.map((line) => ({ field: fieldOf(line), description: line })),
            },
          ]),
    ],
  };
  // A 503 is temporary: OTLP clients retry it, after Retry-After when given.
  if (status === 503) reply.header("retry-after", String(STORE_RETRY_AFTER_SECONDS));
  // The body past the limit is left unread: this connection cannot carry another request.
  if (status === 413) reply.header("connection", "close");
  return reply.code(status).type("application/json").send(body);
}
