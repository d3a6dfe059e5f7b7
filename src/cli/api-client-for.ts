import { type ApiClient, createApiClient } from "../client/api-client.js";
import { VERSION } from "../version.js";
import type { CliIo } from "./cli-io.js";

/** The API client of the client commands: --server, --token or $DEPLOYSLO_TOKEN, --timeout. */
export function apiClientFor(
  server: string,
  token: string | undefined,
  timeoutSeconds: number,
  io: CliIo,
): ApiClient {
  return createApiClient({
    baseUrl: server,
    token: token ?? io.env.DEPLOYSLO_TOKEN,
    timeoutMs: timeoutSeconds * 1000,
    userAgent: `deployslo/${VERSION}`,
  });
}
