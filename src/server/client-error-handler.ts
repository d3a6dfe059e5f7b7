import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import { DeploysloError } from "../core/primitives/error-codes.js";
import { problemOf } from "./problem-details.js";
import { securityHeaderLines } from "./security-headers.js";

/** Node's parser errors for requests it could not read, as our codes. */
function problemFor(error: Error & { code?: string }): DeploysloError {
  switch (error.code) {
    case "HPE_HEADER_OVERFLOW":
      return new DeploysloError(
        "HEADERS_TOO_LARGE",
        "the request line and headers are larger than the server's limit of 16 KiB",
      );
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return new DeploysloError("REQUEST_TIMEOUT", "the request took too long to arrive");
    default:
      return new DeploysloError("INVALID_REQUEST", "the request is not valid HTTP/1.1");
  }
}

/**
 * Answers a request Node could not parse (headers too large, not HTTP, too slow) with a
 * problem document and `Connection: close`, then closes the connection: the rest of what the
 * client sent cannot be read as requests, and saying so lets a keep-alive client open a new
 * connection for its next request instead of failing on this one.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === "ECONNRESET" || socket.destroyed) return;
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const problem = problemOf(problemFor(error));
  const body = JSON.stringify(problem);
  const head = [
    `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status] ?? "Error"}`,
    "content-type: application/problem+json; charset=utf-8",
    `content-length: ${Buffer.byteLength(body)}`,
    "connection: close",
    ...securityHeaderLines(),
  ];
  socket.write(`${head.join("\r\n")}\r\n\r\n${body}`, () => socket.destroy());
}
