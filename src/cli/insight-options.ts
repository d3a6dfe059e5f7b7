import type { Command } from "commander";
import { Option } from "commander";
import {
  type ApiClient,
  ApiError,
  type InsightAnswer,
  type InsightRoute,
} from "../client/api-client.js";
import { loadSloSpecs } from "../config/load-slo-specs.js";
import { notDeploymentReason } from "../core/analysis/deployment-slo.js";
import { parseSelectorTerms } from "../core/analysis/selector-terms.js";
import { closestName } from "../core/primitives/closest-name.js";
import { DeploysloError } from "../core/primitives/error-codes.js";
import { formatDiagnostic } from "../core/spec/diagnostic.js";
import type { Slo } from "../core/spec/slo.js";
import type { InsightScope, InsightSource } from "../services/insight-attempts.js";
import { apiClientFor } from "./api-client-for.js";
import type { CliIo } from "./cli-io.js";
import { integerOption } from "./integer-option.js";
import { parseInstant } from "./parse-instant.js";
import { serverFailure } from "./server-failure.js";

const collect = (value: string, previous: string[]) => [...previous, value];

/** The options every insight command shares. */
export interface InsightOptions {
  deployments: string[];
  config: string[];
  slo?: string;
  selector: string[];
  from?: string;
  to?: string;
  format: "table" | "json";
  skipInvalid?: boolean;
  server?: string;
  token?: string;
  timeout: string;
}

/** Adds the shared options: the history, its scope, the output format. */
export function withInsightOptions(command: Command): Command {
  return command
    .option(
      "-d, --deployments <file>",
      "attempt records: NDJSON, JSON array or CSV; - for stdin; repeatable",
      collect,
      [],
    )
    .option("-c, --config <file>", "SLO spec file, for --slo; repeatable", collect, [])
    .option("--slo <name>", "scope and objective of this SLO (needs --config)")
    .option(
      "--selector <terms>",
      "KEY=VALUE[,…]: environment, model (globs), attribute.NAME or a label; repeatable",
      collect,
      [],
    )
    .option("--from <time>", "only attempts started at or after this RFC 3339 instant")
    .option("--to <time>", "only attempts started before this RFC 3339 instant")
    .addOption(
      new Option("-f, --format <format>", "output format")
        .choices(["table", "json"])
        .default("table"),
    )
    .option("--skip-invalid", "report invalid records on stderr and use the valid ones")
    .option("-s, --server <url>", "ask a deployslo server about its stored history instead")
    .option(
      "--token <token>",
      "with --server: a token with the read role (default: $DEPLOYSLO_TOKEN)",
    )
    .option("--timeout <seconds>", "with --server: for the request", "120");
}

export type ResolvedInsight =
  | {
      readonly kind: "local";
      readonly source: InsightSource;
      readonly scope: InsightScope;
      readonly slo: Slo | undefined;
    }
  | { readonly kind: "remote"; readonly client: ApiClient; readonly query: URLSearchParams };

function remote(options: InsightOptions, io: CliIo): ResolvedInsight {
  if (options.deployments.length > 0)
    throw new DeploysloError("USAGE", "give --deployments or --server, not both");
  if (options.config.length > 0)
    throw new DeploysloError(
      "USAGE",
      "with --server, --slo names one of the server's SLOs: drop --config",
    );
  const query = new URLSearchParams();
  if (options.slo !== undefined) query.set("slo", options.slo);
  if (options.selector.length > 0) query.set("selector", options.selector.join(","));
  if (options.from !== undefined) query.set("from", options.from);
  if (options.to !== undefined) query.set("to", options.to);
  const timeout = integerOption("--timeout", options.timeout, 1, 3600);
  return {
    kind: "remote",
    client: apiClientFor(options.server ?? "", options.token, timeout, io),
    query,
  };
}

/** Asks the server's GET /api/v1/insight/{route} with the scope and `extra` parameters. */
export async function askServer<R extends InsightRoute>(
  resolved: Extract<ResolvedInsight, { kind: "remote" }>,
  route: R,
  extra: Readonly<Record<string, string | readonly string[] | undefined>>,
): Promise<InsightAnswer<R>> {
  const query = new URLSearchParams(resolved.query);
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) continue;
    for (const one of typeof value === "string" ? [value] : value) query.append(key, one);
  }
  try {
    return await resolved.client.getInsight(route, query);
  } catch (error) {
    if (error instanceof ApiError) throw serverFailure(error, resolved.client.baseUrl, "read");
    throw error;
  }
}

async function sloNamed(files: readonly string[], name: string): Promise<Slo> {
  if (files.length === 0)
    throw new DeploysloError("USAGE", "--slo needs --config FILE (the SLO specs)");
  const specs = await loadSloSpecs(files);
  const errors = specs.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0)
    throw new DeploysloError(
      "CONFIG_INVALID",
      `${errors.length} errors in SLO specs`,
      errors.map(formatDiagnostic),
    );
  const slo = specs.slos.find((s) => s.name === name);
  if (slo === undefined) {
    const names = specs.slos.map((s) => s.name);
    const near = closestName(name, names);
    throw new DeploysloError(
      "USAGE",
      `no SLO named "${name}" in ${files.join(", ")}${near === undefined ? "" : ` (did you mean "${near}"?)`}`,
    );
  }
  return slo;
}

/** Turns the shared options into the history to read and its scope. */
export async function resolveInsight(
  command: string,
  options: InsightOptions,
  io: CliIo,
): Promise<ResolvedInsight> {
  if (options.server !== undefined) return remote(options, io);
  if (options.deployments.length === 0)
    throw new DeploysloError(
      "USAGE",
      `${command} needs --deployments FILE (attempt records) or --server URL`,
    );
  if (options.slo !== undefined && options.selector.length > 0)
    throw new DeploysloError("USAGE", "give --slo or --selector, not both");
  let slo: Slo | undefined;
  let selector: InsightScope["selector"];
  if (options.slo !== undefined) {
    slo = await sloNamed(options.config, options.slo);
    const reason = notDeploymentReason(slo);
    if (reason !== null) throw new DeploysloError("USAGE", reason);
    selector = slo.selector;
  } else {
    const parsed = parseSelectorTerms(options.selector);
    if (!parsed.ok) throw new DeploysloError("USAGE", `--selector: ${parsed.reason}`);
    selector = parsed.selector;
  }
  const from =
    options.from === undefined ? undefined : parseInstant(options.from, () => io.now(), "--from");
  const to =
    options.to === undefined ? undefined : parseInstant(options.to, () => io.now(), "--to");
  if (from !== undefined && to !== undefined && from >= to)
    throw new DeploysloError("USAGE", "--from must be before --to");
  return {
    kind: "local",
    source: {
      kind: "files",
      files: options.deployments,
      skipInvalid: options.skipInvalid === true,
    },
    scope: { selector, from, to },
    slo,
  };
}
