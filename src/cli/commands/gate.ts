import { Command, Option } from "commander";
import { ApiError } from "../../client/api-client.js";
import type { GateRequest } from "../../core/policy/approval.js";
import type { GateDecision, GateDecisionKind } from "../../core/policy/gate-decision.js";
import { DeploysloError } from "../../core/primitives/error-codes.js";
import { formatTimestamp } from "../../core/primitives/timestamp.js";
import { formatDiagnostic } from "../../core/spec/diagnostic.js";
import { CHANGE_TYPES, type ChangeType } from "../../core/spec/gate-policy.js";
import { gateFiles } from "../../services/gate-files.js";
import { apiClientFor } from "../api-client-for.js";
import type { CliIo } from "../cli-io.js";
import { CommandExit } from "../command-exit.js";
import { integerOption } from "../integer-option.js";
import { parseInstant } from "../parse-instant.js";
import { renderGate } from "../render-gate.js";
import { serverFailure } from "../server-failure.js";
import { styleFor } from "../style.js";

/** Exit codes a pipeline branches on: 0 go, 3 stop, 4 wait for an approver. */
export const GATE_EXIT_CODES: Readonly<Record<GateDecisionKind, number>> = Object.freeze({
  allow: 0,
  deny: 3,
  approval_required: 4,
});

const collect = (value: string, previous: string[]) => [...previous, value];

interface GateOptions {
  model?: string;
  environment?: string;
  version?: string;
  change: ChangeType;
  label: string[];
  config: string[];
  deployments: string[];
  server?: string;
  token?: string;
  at?: string;
  format: "table" | "json";
  skipInvalid?: boolean;
  color?: boolean;
  timeout: string;
}

function parseLabels(values: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const value of values) {
    const eq = value.indexOf("=");
    if (eq <= 0)
      throw new DeploysloError(
        "USAGE",
        `--label takes KEY=VALUE, e.g. --label team=risk; got "${value}"`,
      );
    labels[value.slice(0, eq)] = value.slice(eq + 1);
  }
  return labels;
}

function requestOf(options: GateOptions): GateRequest {
  if (options.model === undefined || options.environment === undefined)
    throw new DeploysloError("USAGE", "gate needs --model M and --environment E");
  return {
    model: options.model,
    environment: options.environment,
    version: options.version ?? null,
    change: options.change,
    labels: parseLabels(options.label),
  };
}

async function decideOnServer(
  options: GateOptions & { server: string },
  request: GateRequest,
  at: number | undefined,
  io: CliIo,
): Promise<{ decision: GateDecision; at: string }> {
  const client = apiClientFor(
    options.server,
    options.token,
    integerOption("--timeout", options.timeout, 1, 3600),
    io,
  );
  try {
    const {
      at: answeredAt,
      decision,
      reasons,
      slos,
      estimate,
    } = await client.postGate(request, at);
    return { decision: { decision, reasons, slos, estimate }, at: answeredAt };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    throw serverFailure(error, client.baseUrl, "ingest");
  }
}

async function decideOffline(
  options: GateOptions,
  request: GateRequest,
  at: number,
  io: CliIo,
): Promise<{ decision: GateDecision; at: string }> {
  if (options.config.length === 0 || options.deployments.length === 0) {
    throw new DeploysloError(
      "USAGE",
      "gate needs --server URL, or --config FILE and --deployments FILE to decide offline",
    );
  }
  const { decision, warnings } = await gateFiles({
    ctx: {},
    input: {
      configFiles: options.config,
      deploymentFiles: options.deployments,
      request,
      at,
      skipInvalid: options.skipInvalid === true,
    },
  });
  for (const warning of warnings) io.stderr.write(`${formatDiagnostic(warning)}\n`);
  return { decision, at: formatTimestamp(at) };
}

export function gateCommand(io: CliIo): Command {
  return new Command("gate")
    .description(
      "Ask whether a promotion may go ahead under its SLOs' error budget policies (exit 0 allow, 3 deny, 4 approval required)",
    )
    .option("-m, --model <model>", "the model to promote")
    .option("-e, --environment <environment>", "where to promote it")
    .option("--version <version>", "the version to promote (approvals may be for one version)")
    .addOption(
      new Option("--change <type>", "kind of change: exempt kinds pass a freeze")
        .choices([...CHANGE_TYPES])
        .default("normal"),
    )
    .option("--label <key=value>", "a label of the promotion (team=risk); repeatable", collect, [])
    .option("-s, --server <url>", "decide on a deployslo server (approvals count, audited)")
    .option("--token <token>", "API token with the ingest role (default: $DEPLOYSLO_TOKEN)")
    .option("-c, --config <file>", "offline: SLO spec file; repeatable", collect, [])
    .option("-d, --deployments <file>", "offline: attempt records; repeatable", collect, [])
    .option("--skip-invalid", "offline: skip invalid records")
    .option("--at <time>", "decide as of this RFC 3339 instant (default: now)")
    .addOption(
      new Option("-f, --format <format>", "output format")
        .choices(["table", "json"])
        .default("table"),
    )
    .option("--no-color", "never colour the output")
    .option("--timeout <seconds>", "for the request to the server", "30")
    .action(async (options: GateOptions) => {
      const request = requestOf(options);
      const { decision, at } =
        options.server === undefined
          ? await decideOffline(
              options,
              request,
              parseInstant(options.at, () => io.now()),
              io,
            )
          : await decideOnServer(
              { ...options, server: options.server },
              request,
              options.at === undefined ? undefined : parseInstant(options.at, () => io.now()),
              io,
            );
      if (options.format === "json") {
        const { decision: kind, reasons, slos, estimate = null } = decision;
        io.stdout.write(
          `${JSON.stringify({ decision: kind, at, reasons, slos, estimate }, null, 2)}\n`,
        );
      } else {
        io.stdout.write(
          renderGate(request, decision, at, styleFor(io.stdout, io.env, options.color)),
        );
      }
      const code = GATE_EXIT_CODES[decision.decision];
      if (code !== 0) throw new CommandExit(code);
    });
}
