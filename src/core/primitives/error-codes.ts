/**
 * The closed set of error codes deployslo reports to users, with what each means. Each
 * transport maps every code once: the CLI to an exit code (src/cli/exit-code.ts), the HTTP API
 * to a status (src/server/problem-details.ts). docs/errors.md documents every code and no
 * other; a test checks both directions.
 */
export const ERROR_CODES = {
  USAGE: {
    description: "The command line is wrong: an unknown option, a missing argument, a bad value.",
  },
  INPUT_UNREADABLE: {
    description: "A file named on the command line cannot be opened or read.",
  },
  CONFIG_INVALID: {
    description: "An SLO spec file has errors (YAML syntax, unknown fields, bad values).",
  },
  INVALID_REQUEST: {
    description:
      "The HTTP request is wrong: a bad query parameter, path parameter or body, or a body that is not JSON.",
  },
  RECORD_INVALID: {
    description: "An attempt record is malformed or inconsistent.",
  },
  STORE_UNAVAILABLE: {
    description:
      "The database cannot be opened or does not answer: a bad URL, an unreachable server, an unwritable path.",
  },
  EVENT_INVALID: {
    description: "A lifecycle event is malformed.",
  },
  UNAUTHORIZED: {
    description: "The request has no valid API token.",
  },
  FORBIDDEN: {
    description: "The API token's role does not allow this request.",
  },
  NOT_FOUND: {
    description: "No such route, SLO or attempt.",
  },
  PAYLOAD_TOO_LARGE: {
    description: "The request body or the number of records in it is over the limit.",
  },
  UNSUPPORTED_MEDIA_TYPE: {
    description: "The request body's Content-Type is not one the endpoint accepts.",
  },
  REQUEST_TIMEOUT: {
    description: "The client took too long to send its request.",
  },
  HEADERS_TOO_LARGE: {
    description: "The request's headers are over the server's limit.",
  },
  PORT_UNAVAILABLE: {
    description:
      "`serve` cannot listen on its address and port: the port is in use, needs privileges, or the host is not this machine's.",
  },
  SHUTTING_DOWN: {
    description: "The server is shutting down; retry, against another replica if there is one.",
  },
  SERVER_UNAVAILABLE: {
    description:
      "The deployslo server cannot be reached, or keeps answering 429 or 5xx after retries.",
  },
  INTERNAL: {
    description: "A bug in deployslo. Please report it with the command that caused it.",
  },
} as const satisfies Record<string, { description: string }>;

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
