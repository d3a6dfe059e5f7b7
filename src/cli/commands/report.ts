import { Command, Option } from "commander";
import { ApiError } from "../../client/api-client.js";
import { loadSloSpecs } from "../../config/load-slo-specs.js";
import type { SloReportJson } from "../../contract/slo-report-schema.js";
import { DeploysloError } from "../../core/primitives/error-codes.js";
import { formatDiagnostic } from "../../core/spec/diagnostic.js";
import { buildSloReport } from "../../services/build-slo-report.js";
import {
  parseReportPeriod,
  previousMonth,
  type ReportPeriod,
} from "../../services/report/report-period.js";
import { sloReportHtml } from "../../services/report/slo-report-html.js";
import { sloReportMarkdown } from "../../services/report/slo-report-markdown.js";
import { apiClientFor } from "../api-client-for.js";
import type { CliContext } from "../cli-context.js";
import type { CliIo } from "../cli-io.js";
import { integerOption } from "../integer-option.js";
import { serverFailure } from "../server-failure.js";
import { writeOutput } from "../write-output.js";

const collect = (value: string, previous: string[]) => [...previous, value];

interface ReportOptions {
  deployments: string[];
  config: string[];
  slo?: string;
  period?: string;
  format: "markdown" | "html" | "json";
  slowest: string;
  output?: string;
  skipInvalid?: boolean;
  server?: string;
  token?: string;
  timeout: string;
}

/** `--server`: the server's report over its stored history, rendered here. */
async function remoteReport(
  io: CliIo,
  options: ReportOptions,
  period: ReportPeriod,
  slowest: number,
): Promise<SloReportJson> {
  if (options.deployments.length > 0 || options.config.length > 0)
    throw new DeploysloError(
      "USAGE",
      "with --server, the report covers the server's SLOs and history: drop --deployments and --config",
    );
  const timeout = integerOption("--timeout", options.timeout, 1, 3600);
  const client = apiClientFor(options.server ?? "", options.token, timeout, io);
  const query = new URLSearchParams({ period: period.label, slowest: String(slowest) });
  if (options.slo !== undefined) query.set("slo", options.slo);
  try {
    return await client.getReport(query);
  } catch (error) {
    if (error instanceof ApiError) throw serverFailure(error, client.baseUrl, "read");
    throw error;
  }
}

async function localReport(
  io: CliIo,
  ctx: CliContext,
  options: ReportOptions,
  period: ReportPeriod,
  slowest: number,
): Promise<SloReportJson> {
  if (options.deployments.length === 0)
    throw new DeploysloError(
      "USAGE",
      "report needs --deployments FILE (attempt records) or --server URL",
    );
  const slos = await loadSlos(io, options.config);
  return buildSloReport({
    ctx,
    input: {
      slos,
      source: {
        kind: "files",
        files: options.deployments,
        skipInvalid: options.skipInvalid === true,
      },
      period,
      slo: options.slo,
      slowest,
    },
  });
}

async function loadSlos(io: CliIo, files: readonly string[]) {
  if (files.length === 0)
    throw new DeploysloError("USAGE", "report needs --config FILE (SLO specs)");
  const specs = await loadSloSpecs(files);
  const errors = specs.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0)
    throw new DeploysloError(
      "CONFIG_INVALID",
      `${errors.length} error${errors.length === 1 ? "" : "s"} in SLO specs`,
      specs.diagnostics.map(formatDiagnostic),
    );
  if (specs.slos.length === 0)
    throw new DeploysloError("CONFIG_INVALID", `no SLO defined in ${files.join(", ")}`);
  for (const warning of specs.diagnostics) io.stderr.write(`${formatDiagnostic(warning)}\n`);
  return specs.slos;
}

/** `deployslo report`: each SLO over a calendar month, as Markdown, HTML or JSON. */
export function reportCommand(io: CliIo, ctx: CliContext): Command {
  return new Command("report")
    .description(
      "A monthly SLO report: compliance, error budget, burn alerts, the slowest attempts and why, recommendations",
    )
    .option(
      "-d, --deployments <file>",
      "attempt records: NDJSON, JSON array or CSV; - for stdin; repeatable",
      collect,
      [],
    )
    .option("-c, --config <file>", "SLO spec file (YAML); repeatable", collect, [])
    .option("--slo <name>", "report on this SLO only")
    .option("--period <month>", "the calendar month YYYY-MM, UTC (default: the previous month)")
    .addOption(
      new Option("-f, --format <format>", "output format")
        .choices(["markdown", "html", "json"])
        .default("markdown"),
    )
    .option("--slowest <count>", "slowest attempts to explain per SLO", "5")
    .option("-o, --output <file>", "write to this file instead of stdout")
    .option("--skip-invalid", "report invalid records on stderr and use the valid ones")
    .option("-s, --server <url>", "report on a deployslo server's SLOs and stored history instead")
    .option(
      "--token <token>",
      "with --server: a token with the read role (default: $DEPLOYSLO_TOKEN)",
    )
    .option("--timeout <seconds>", "with --server: for the request", "120")
    .action(async (options: ReportOptions) => {
      const period =
        options.period === undefined
          ? previousMonth(io.now())
          : parseReportPeriod(options.period, "--period", "USAGE", io.now());
      const slowest = integerOption("--slowest", options.slowest, 0, 100);
      const report =
        options.server === undefined
          ? await localReport(io, ctx, options, period, slowest)
          : await remoteReport(io, options, period, slowest);
      const text =
        options.format === "json"
          ? `${JSON.stringify(report, null, 2)}\n`
          : options.format === "html"
            ? sloReportHtml(report)
            : sloReportMarkdown(report);
      await writeOutput(io, text, options.output);
    });
}
