import type { FastifyError, FastifyReply } from "fastify";
import { DeploysloError, ERROR_CODES, type ErrorCode } from "../core/primitives/error-codes.js";

/** Seconds a client waits before retrying a 503 (docs/operations.md, "Failure modes"). */
export const STORE_RETRY_AFTER_SECONDS = 2;

/** RFC 9457 problem details, with our stable `code` and the list of specific problems. */
export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly code: ErrorCode;
  readonly detail: string;
  readonly errors?: readonly string[];
}

export function problemOf(error: DeploysloError): ProblemDetails {
  const { httpStatus, description } = ERROR_CODES[error.code];
  return {
    type: `urn:deployslo:problem:${error.code.toLowerCase().replaceAll("_", "-")}`,
    title: description,
    status: httpStatus,
    code: error.code,
    detail: error.message,
    ...(error.details.length > 0 ? { errors: error.details } : {}),
  };
}

/** Fastify's own errors for what a client sent, as our codes; anything else is INTERNAL. */
function fromFastify(error: FastifyError): DeploysloError | undefined {
  switch (error.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return new DeploysloError(
        "PAYLOAD_TOO_LARGE",
        "the request body is larger than the server's limit",
      );
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return new DeploysloError(
        "UNSUPPORTED_MEDIA_TYPE",
        "send application/json or application/x-ndjson",
      );
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return new DeploysloError("USAGE", "the request body is empty");
    case "FST_ERR_CTP_INVALID_JSON_BODY":
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return new DeploysloError("USAGE", error.message);
    default:
      break;
  }
  if (error.validation !== undefined) {
    const context = error.validationContext ?? "request";
    return new DeploysloError(
      "USAGE",
      `invalid ${context}`,
      error.validation.map(
        (issue) =>
          `${context}${issue.instancePath.replaceAll("/", ".")}: ${issue.message ?? "invalid"}`,
      ),
    );
  }
  if (error.statusCode === 413) return new DeploysloError("PAYLOAD_TOO_LARGE", error.message);
  if (error.statusCode === 415) return new DeploysloError("UNSUPPORTED_MEDIA_TYPE", error.message);
  if (error.statusCode === 404) return new DeploysloError("NOT_FOUND", error.message);
  if (
    error instanceof SyntaxError ||
    (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500)
  ) {
    return new DeploysloError("USAGE", error.message);
  }
  return undefined;
}

/** The one place errors become HTTP responses. */
export function sendError(reply: FastifyReply, error: unknown): FastifyReply {
  const known =
    error instanceof DeploysloError ? error : (fromFastify(error as FastifyError) ?? undefined);
  if (known === undefined) {
    reply.log.error({ err: error }, "internal error");
    const internal = new DeploysloError(
      "INTERNAL",
      "internal error; the server log has the details",
    );
    return reply.code(500).type("application/problem+json").send(problemOf(internal));
  }
  const problem = problemOf(known);
  // 503 means the database is away; the pool reconnects on the next request once it is back.
  if (problem.status === 503) reply.header("retry-after", String(STORE_RETRY_AFTER_SECONDS));
  return reply.code(problem.status).type("application/problem+json").send(problem);
}
