import { Command, Option } from "commander";
import { type ApiClient, ApiError, errorCodeFor } from "../../client/api-client.js";
import { DeploysloError } from "../../core/primitives/error-codes.js";
import { apiClientFor } from "../api-client-for.js";
import type { CliIo } from "../cli-io.js";
import { integerOption } from "../integer-option.js";
import { parseInstant } from "../parse-instant.js";
import { renderTable } from "../render-table.js";
import { type StaleWarning, staleLines } from "../stale-attempt-lines.js";
import { styleFor } from "../style.js";

interface StatusOptions {
  server?: string;
  token?: string;
  at?: string;
  format: "table" | "json";
  color?: boolean;
  timeout: string;
}

function statusFailure(error: ApiError, server: string): DeploysloError {
  const message =
    error.status === null
      ? `cannot reach the deployslo server at ${server}: ${error.detail}`
      : `the deployslo server at ${server} answered ${error.message}`;
  const details = error.errors.map((line) => `server: ${line}`);
  if (error.status === 401 || error.status === 403)
    details.push(
      "Pass --token TOKEN or set DEPLOYSLO_TOKEN: a token with the read role or higher.",
    );
  return new DeploysloError(errorCodeFor(error, "SERVER_UNAVAILABLE"), message, details);
}

/** The server's stale in-progress attempts; none from a server too old to say. */
async function staleAttempts(client: ApiClient, at: number | undefined): Promise<StaleWarning[]> {
  let attempts: Awaited<ReturnType<ApiClient["getInProgress"]>>;
  try {
    attempts = await client.getInProgress(at);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return [];
    if (error instanceof ApiError) throw statusFailure(error, client.baseUrl);
    throw error;
  }
  return attempts
    .filter((attempt) => attempt.stale === true && attempt.thresholdSeconds !== null)
    .map((attempt) => ({
      id: attempt.id,
      model: attempt.model,
      version: attempt.version,
      environment: attempt.environment,
      elapsedMs: Math.round(attempt.elapsedSeconds * 1000),
      thresholdMs: Math.round((attempt.thresholdSeconds ?? 0) * 1000),
      timeoutAt: attempt.timeoutAt,
    }));
}

export function statusCommand(io: CliIo): Command {
  return new Command("status")
    .description("Show every SLO's status from a deployslo server")
    .option("-s, --server <url>", "the deployslo server, e.g. http://127.0.0.1:8080")
    .option("--token <token>", "API token with the read role (default: $DEPLOYSLO_TOKEN)")
    .option("--at <time>", "status as of this RFC 3339 instant (default: the server's now)")
    .addOption(
      new Option("-f, --format <format>", "output format")
        .choices(["table", "json"])
        .default("table"),
    )
    .option("--no-color", "never colour the table")
    .option("--timeout <seconds>", "for the request", "30")
    .action(async (options: StatusOptions) => {
      if (options.server === undefined)
        throw new DeploysloError("USAGE", "status needs --server URL (the deployslo server)");
      const at =
        options.at === undefined || options.at === "now"
          ? undefined
          : parseInstant(options.at, () => io.now());
      const timeout = integerOption("--timeout", options.timeout, 1, 3600);
      const client = apiClientFor(options.server, options.token, timeout, io);
      let result: Awaited<ReturnType<typeof client.getSlos>>;
      try {
        result = await client.getSlos(at);
      } catch (error) {
        if (error instanceof ApiError) throw statusFailure(error, client.baseUrl);
        throw error;
      }
      for (const line of staleLines(await staleAttempts(client, at))) io.stderr.write(`${line}\n`);
      if (options.format === "json") {
        io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        return;
      }
      const style = styleFor(io.stdout, io.env, options.color);
      io.stdout.write(renderTable(result, style));
      io.stdout.write(style.dim(`as of ${result.at} · ${client.baseUrl}\n`));
    });
}
