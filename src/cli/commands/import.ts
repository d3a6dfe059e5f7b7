import { Command } from "commander";
import { plural } from "../../core/primitives/plural.js";
import { formatDiagnostic } from "../../core/spec/diagnostic.js";
import { importOpenSloFile } from "../../services/import-openslo-file.js";
import type { CliContext } from "../cli-context.js";
import type { CliIo } from "../cli-io.js";
import { writeOutput } from "../write-output.js";

/** `deployslo import openslo FILE`. */
export function importCommand(io: CliIo, ctx: CliContext): Command {
  return new Command("import")
    .description("Convert another tool's SLO specs into deployslo specs")
    .addCommand(
      new Command("openslo")
        .description(
          "OpenSLO v1 YAML as deployslo SLO specs; what deployslo cannot honour is reported with file:line",
        )
        .argument("<file>", "an OpenSLO v1 file (SLO, SLI, AlertPolicy, AlertCondition… documents)")
        .option("-o, --output <file>", "write to this file instead of stdout")
        .action(async (file: string, options: { output?: string }) => {
          const result = await importOpenSloFile({ ctx, input: { file } });
          for (const warning of result.warnings) io.stderr.write(`${formatDiagnostic(warning)}\n`);
          await writeOutput(io, result.text, options.output);
          if (options.output !== undefined && options.output !== "-")
            io.stderr.write(
              `deployslo: wrote ${options.output} (${plural(result.sloCount, "SLO")})\n`,
            );
        }),
    );
}
