import { Command } from "commander";
import { ApiError, errorCodeFor } from "../../client/api-client.js";
import { DeploysloError } from "../../core/primitives/error-codes.js";
import { apiClientFor } from "../api-client-for.js";
import type { CliIo } from "../cli-io.js";
import { integerOption } from "../integer-option.js";

interface ApproveOptions {
  server?: string;
  token?: string;
  model?: string;
  environment?: string;
  version?: string;
  reason?: string;
  for: string;
  timeout: string;
}

export function approveCommand(io: CliIo): Command {
  return new Command("approve")
    .description(
      "Approve promotions that an SLO's policy holds for approval (a token with the approve or admin role)",
    )
    .option("-s, --server <url>", "the deployslo server")
    .option("--token <token>", "API token with the approve role (default: $DEPLOYSLO_TOKEN)")
    .option("-m, --model <model>", "the model")
    .option("-e, --environment <environment>", "the environment")
    .option("--version <version>", "only this version (default: any version)")
    .option("--reason <text>", "why it is safe to ship; written to the audit log")
    .option("--for <duration>", "how long the approval counts, at most 7d", "4h")
    .option("--timeout <seconds>", "for the request", "30")
    .action(async (options: ApproveOptions) => {
      if (options.server === undefined)
        throw new DeploysloError("USAGE", "approve needs --server URL (the deployslo server)");
      if (options.model === undefined || options.environment === undefined)
        throw new DeploysloError("USAGE", "approve needs --model M and --environment E");
      if (options.reason === undefined || options.reason.trim() === "")
        throw new DeploysloError("USAGE", 'approve needs --reason "…": say why it is safe to ship');
      const client = apiClientFor(
        options.server,
        options.token,
        integerOption("--timeout", options.timeout, 1, 3600),
        io,
      );
      try {
        const granted = await client.postApproval({
          model: options.model,
          environment: options.environment,
          ...(options.version === undefined ? {} : { version: options.version }),
          reason: options.reason,
          validFor: options.for,
        });
        const version = options.version === undefined ? "" : ` ${options.version}`;
        io.stdout.write(
          `approved ${options.model}${version} → ${options.environment} until ${granted.expiresAt} (approval ${granted.id}, audit entry ${granted.auditSeq})\n`,
        );
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        const message =
          error.status === null
            ? `cannot reach the deployslo server at ${client.baseUrl}: ${error.detail}`
            : `the deployslo server at ${client.baseUrl} answered ${error.message}`;
        throw new DeploysloError(
          errorCodeFor(error, "SERVER_UNAVAILABLE"),
          message,
          error.errors.map((line) => `server: ${line}`),
        );
      }
    });
}
