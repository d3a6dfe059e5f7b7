/**
 * The closed set of error codes deployslo reports to users. Each transport maps them once:
 * the CLI to an exit code (cli/exit-code.ts), later the HTTP API to a status.
 * docs/errors.md documents every code; a test fails when one is missing there.
 */
export const ERROR_CODES = {
  USAGE: {
    description: "The command line is wrong: an unknown option, a missing argument, a bad value.",
    exitCode: 2,
    httpStatus: 400,
  },
  INPUT_UNREADABLE: {
    description: "A file named on the command line cannot be opened or read.",
    exitCode: 2,
    httpStatus: 400,
  },
  CONFIG_INVALID: {
    description: "An SLO spec file has errors (YAML syntax, unknown fields, bad values).",
    exitCode: 1,
    httpStatus: 400,
  },
  RECORD_INVALID: {
    description: "An attempt record is malformed or inconsistent.",
    exitCode: 1,
    httpStatus: 400,
  },
  STORE_UNAVAILABLE: {
    description:
      "The database cannot be opened or does not answer: a bad URL, an unreachable server, an unwritable path.",
    exitCode: 1,
    httpStatus: 503,
  },
  EVENT_INVALID: {
    description: "A lifecycle event is malformed.",
    exitCode: 1,
    httpStatus: 400,
  },
  UNAUTHORIZED: {
    description: "The request has no valid API token.",
    exitCode: 1,
    httpStatus: 401,
  },
  FORBIDDEN: {
    description: "The API token's role or scope does not allow this request.",
    exitCode: 1,
    httpStatus: 403,
  },
  RATE_LIMITED: {
    description: "The API token has sent more requests than its rate limit allows.",
    exitCode: 1,
    httpStatus: 429,
  },
  NOT_FOUND: {
    description: "No such route, SLO or attempt.",
    exitCode: 1,
    httpStatus: 404,
  },
  PAYLOAD_TOO_LARGE: {
    description: "The request body or the number of records in it is over the limit.",
    exitCode: 1,
    httpStatus: 413,
  },
  UNSUPPORTED_MEDIA_TYPE: {
    description: "The request body's Content-Type is not one the endpoint accepts.",
    exitCode: 1,
    httpStatus: 415,
  },
  SHUTTING_DOWN: {
    description: "The server is shutting down; retry, against another replica if there is one.",
    exitCode: 1,
    httpStatus: 503,
  },
  SERVER_UNAVAILABLE: {
    description:
      "The deployslo server cannot be reached, or keeps answering 429 or 5xx after retries.",
    exitCode: 1,
    httpStatus: 502,
  },
  INTERNAL: {
    description: "A bug in deployslo. Please report it with the command that caused it.",
    exitCode: 70,
    httpStatus: 500,
  },
} as const satisfies Record<string, { description: string; exitCode: number; httpStatus: number }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The one error type that crosses layers; anything else reaching a transport is a bug. */
export class DeploysloError extends Error {
  readonly code: ErrorCode;
  /** Further lines for people, e.g. one per invalid record or config diagnostic. */
  readonly details: readonly string[];

  constructor(code: ErrorCode, message: string, details: readonly string[] = []) {
    super(message);
    this.name = "DeploysloError";
    this.code = code;
    this.details = details;
  }
}
