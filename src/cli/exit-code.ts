import type { ErrorCode } from "../core/primitives/error-codes.js";

/**
 * The CLI's exit code for every error code: 2 when the command line itself is wrong, 70 for a
 * bug (sysexits' EX_SOFTWARE), 1 for everything else. docs/errors.md lists them.
 */
export const EXIT_CODES: Readonly<Record<ErrorCode, number>> = Object.freeze({
  USAGE: 2,
  INPUT_UNREADABLE: 2,
  CONFIG_INVALID: 1,
  INVALID_REQUEST: 1,
  RECORD_INVALID: 1,
  STORE_UNAVAILABLE: 1,
  EVENT_INVALID: 1,
  UNAUTHORIZED: 1,
  FORBIDDEN: 1,
  NOT_FOUND: 1,
  PAYLOAD_TOO_LARGE: 1,
  UNSUPPORTED_MEDIA_TYPE: 1,
  REQUEST_TIMEOUT: 1,
  HEADERS_TOO_LARGE: 1,
  PORT_UNAVAILABLE: 1,
  SHUTTING_DOWN: 1,
  SERVER_UNAVAILABLE: 1,
  INTERNAL: 70,
});
