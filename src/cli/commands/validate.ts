import { Command, Option } from "commander";
import { DeploysloError } from "../../core/primitives/error-codes.js";
import { formatDiagnostic } from "../../core/spec/diagnostic.js";
import { validateConfigFiles } from "../../services/validate-config-files.js";
import type { CliContext } from "../cli-context.js";
import type { CliIo } from "../cli-io.js";

export function validateCommand(io: CliIo, ctx: CliContext): Command {
  return new Command("validate")
    .description("Check SLO spec files: errors and warnings with file:line:column and field path")
    .argument("<file...>", "SLO spec files (YAML, several documents each)")
    .addOption(
      new Option("-f, --format <format>", "output format")
        .choices(["text", "json"])
        .default("text"),
    )
    .action(async (files: string[], options: { format: "text" | "json" }) => {
      const { errors, warnings, sloCount } = await validateConfigFiles({ ctx, input: { files } });
      if (options.format === "json") {
        io.stdout.write(
          `${JSON.stringify({ valid: errors.length === 0, slos: sloCount, errors, warnings }, null, 2)}\n`,
        );
      } else {
        for (const d of [...errors, ...warnings]) io.stdout.write(`${formatDiagnostic(d)}\n`);
        const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
        io.stdout.write(
          `${errors.length === 0 ? "valid" : "invalid"}: ${plural(sloCount, "SLO")}, ${plural(errors.length, "error")}, ${plural(warnings.length, "warning")}\n`,
        );
      }
      if (errors.length > 0) {
        throw new DeploysloError(
          "CONFIG_INVALID",
          `${errors.length} error${errors.length === 1 ? "" : "s"} in ${files.join(", ")}`,
        );
      }
    });
}
