import { Command, Option } from "commander";
import { DeploysloError } from "../../core/primitives/error-codes.js";
import { plural } from "../../core/primitives/plural.js";
import { formatDiagnostic } from "../../core/spec/diagnostic.js";
import {
  type ValidationOutput,
  validateConfigFiles,
} from "../../services/validate-config-files.js";
import type { CliIo } from "../cli-io.js";

/** "valid: 4 SLOs, 0 errors, 0 warnings"; targets and pipelines are named when there are some. */
function summary(output: ValidationOutput): string {
  const { errors, warnings, sloCount, notificationTargetCount, pipelineCount } = output;
  const found = [plural(sloCount, "SLO")];
  if (notificationTargetCount > 0)
    found.push(plural(notificationTargetCount, "notification target"));
  if (pipelineCount > 0) found.push(plural(pipelineCount, "pipeline"));
  return `${errors.length === 0 ? "valid" : "invalid"}: ${[...found, plural(errors.length, "error"), plural(warnings.length, "warning")].join(", ")}`;
}

export function validateCommand(io: CliIo): Command {
  return new Command("validate")
    .description(
      "Check SLO spec, notification target and pipeline files: errors and warnings with file:line:column and field path",
    )
    .argument("<file...>", "config files (YAML, several documents each; a pipeline file holds one)")
    .addOption(
      new Option("-f, --format <format>", "output format")
        .choices(["text", "json"])
        .default("text"),
    )
    .action(async (files: string[], options: { format: "text" | "json" }) => {
      const output = await validateConfigFiles(files);
      const { errors, warnings } = output;
      if (options.format === "json") {
        const body = {
          valid: errors.length === 0,
          slos: output.sloCount,
          notificationTargets: output.notificationTargetCount,
          pipelines: output.pipelineCount,
          errors,
          warnings,
        };
        io.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
      } else {
        for (const d of [...errors, ...warnings]) io.stdout.write(`${formatDiagnostic(d)}\n`);
        io.stdout.write(`${summary(output)}\n`);
      }
      if (errors.length > 0) {
        const failing = files.filter((file) => errors.some((error) => error.file === file));
        throw new DeploysloError(
          "CONFIG_INVALID",
          `${plural(errors.length, "error")} in ${(failing.length > 0 ? failing : files).join(", ")}`,
        );
      }
    });
}
