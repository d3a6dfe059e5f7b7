import type { FastifyError, FastifyReply } from "fastify";
import { DeploysloError, ERROR_CODES, type ErrorCode } from "../core/primitives/error-codes.js";
import { StoreError } from "../store/store-error.js";

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

/**
 * The HTTP status of every error code; null for codes of the command line and the client
 * (USAGE, a file that cannot be read, a port in use, a server out of reach), which no request can cause: one
 * of them reaching a response is a bug and answered as INTERNAL. docs/errors.md lists them.
 */
export const HTTP_STATUS: Readonly<Record<ErrorCode, number | null>> = Object.freeze({
  USAGE: null,
  INPUT_UNREADABLE: null,
  CONFIG_INVALID: null,
  INVALID_REQUEST: 400,
  RECORD_INVALID: 400,
  STORE_UNAVAILABLE: 503,
  EVENT_INVALID: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  RATE_LIMITED: 429,
  NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  REQUEST_TIMEOUT: 408,
  HEADERS_TOO_LARGE: 431,
  PORT_UNAVAILABLE: null,
  SHUTTING_DOWN: 503,
  SERVER_UNAVAILABLE: null,
  INTERNAL: 500,
});

export function problemOf(error: DeploysloError): ProblemDetails {
  const { description } = ERROR_CODES[error.code];
  return {
    type: `urn:deployslo:problem:${error.code.toLowerCase().replaceAll("_", "-")}`,
    title: description,
    status: HTTP_STATUS[error.code] ?? 500,
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
      return new DeploysloError("INVALID_REQUEST", "the request body is empty");
    case "FST_ERR_CTP_INVALID_JSON_BODY":
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return new DeploysloError("INVALID_REQUEST", error.message);
    default:
      break;
  }
  if (error.validation !== undefined) {
    const context = error.validationContext ?? "request";
    return new DeploysloError(
      "INVALID_REQUEST",
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
    return new DeploysloError("INVALID_REQUEST", error.message);
  }
  return undefined;
}

/** What the store refused is something the request asked for. */
function fromStore(error: StoreError): DeploysloError {
  switch (error.kind) {
    case "invalid-argument":
      return new DeploysloError("INVALID_REQUEST", error.message);
  }
}

function known(error: unknown): DeploysloError | undefined {
  if (error instanceof DeploysloError) return HTTP_STATUS[error.code] === null ? undefined : error;
  if (error instanceof StoreError) return fromStore(error);
  return fromFastify(error as FastifyError);
}

/** The problem an error is answered with; undefined for an internal error (a 500). */
export function problemFor(error: unknown): ProblemDetails | undefined {
  const answer = known(error);
  return answer === undefined ? undefined : problemOf(answer);
}

/** The one place errors become HTTP responses. */
export function sendError(reply: FastifyReply, error: unknown): FastifyReply {
  const answer = known(error);
  if (answer === undefined) {
    reply.log.error({ err: error }, "internal error");
    const internal = new DeploysloError(
      "INTERNAL",
      "internal error; the server log has the details",
    );
    return reply.code(500).type("application/problem+json").send(problemOf(internal));
  }
  const problem = problemOf(answer);
  // The body past the limit is left unread: this connection cannot carry another request.
  if ((error as FastifyError | undefined)?.code === "FST_ERR_CTP_BODY_TOO_LARGE") {
    reply.header("connection", "close");
  }
  // A 503 is temporary (the database is away, or this server is shutting down): say when to retry.
  if (problem.status === 503) reply.header("retry-after", String(STORE_RETRY_AFTER_SECONDS));
  return reply.code(problem.status).type("application/problem+json").send(problem);
}
