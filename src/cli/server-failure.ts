import { type ApiError, errorCodeFor } from "../client/api-client.js";
import { DeploysloError } from "../core/primitives/error-codes.js";
import type { Role } from "../server/server-config.js";

/**
 * A failed request to a deployslo server as the client commands report it: unreachable or what
 * it answered, the server's own problems, and for 401/403 the role the token needs.
 */
export function serverFailure(error: ApiError, server: string, role: Role): DeploysloError {
  const message =
    error.status === null
      ? `cannot reach the deployslo server at ${server}: ${error.detail}`
      : `the deployslo server at ${server} answered ${error.message}`;
  const details = error.errors.map((line) => `server: ${line}`);
  if (error.status === 401 || error.status === 403)
    details.push(
      `Pass --token TOKEN or set DEPLOYSLO_TOKEN: a token with the ${role} role or higher.`,
    );
  return new DeploysloError(errorCodeFor(error, "SERVER_UNAVAILABLE"), message, details);
}
