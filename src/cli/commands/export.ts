import { Command } from "commander";
import { plural } from "../../core/primitives/plural.js";
import { formatDiagnostic } from "../../core/spec/diagnostic.js";
import { type ExportFormat, exportSloFiles } from "../../services/export-slo-files.js";
import type { CliContext } from "../cli-context.js";
import type { CliIo } from "../cli-io.js";
import { writeOutput } from "../write-output.js";

const collect = (value: string, previous: string[]) => [...previous, value];

interface ExportOptions {
  config: string[];
  output?: string;
}

function exportSubcommand(
  io: CliIo,
  ctx: CliContext,
  format: ExportFormat,
  description: string,
): Command {
  return new Command(format)
    .description(description)
    .option("-c, --config <file>", "SLO spec file (YAML); repeat for more", collect, [])
    .option("-o, --output <file>", "write to this file instead of stdout")
    .action(async (options: ExportOptions) => {
      const result = await exportSloFiles({ ctx, input: { format, configFiles: options.config } });
      for (const warning of result.warnings) io.stderr.write(`${formatDiagnostic(warning)}\n`);
      await writeOutput(io, result.text, options.output);
      if (options.output !== undefined && options.output !== "-")
        io.stderr.write(
          `deployslo: wrote ${options.output}${format === "grafana-dashboard" ? "" : ` (${plural(result.sloCount, "SLO")})`}\n`,
        );
    });
}

/** `deployslo export openslo|prometheus-rules|grafana-dashboard`. */
export function exportCommand(io: CliIo, ctx: CliContext): Command {
  return new Command("export")
    .description(
      "Write SLO specs in another tool's format: OpenSLO, Prometheus rules, a Grafana dashboard",
    )
    .addCommand(
      exportSubcommand(
        io,
        ctx,
        "openslo",
        "SLO specs as OpenSLO v1 YAML (one SLO and one AlertPolicy per burn-rate rule)",
      ),
    )
    .addCommand(
      exportSubcommand(
        io,
        ctx,
        "prometheus-rules",
        "Prometheus recording and alerting rules (Sloth's names) over the counters of /metrics",
      ),
    )
    .addCommand(
      exportSubcommand(
        io,
        ctx,
        "grafana-dashboard",
        "A Grafana dashboard (JSON) over deployslo's metrics and the exported rules",
      ),
    );
}
