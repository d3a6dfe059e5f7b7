import { Command, Option } from "commander";
import { DeploysloError } from "../../core/primitives/error-codes.js";
import { plural } from "../../core/primitives/plural.js";
import { formatDiagnostic } from "../../core/spec/diagnostic.js";
import { describeInvalid, evaluateSloFiles } from "../../services/evaluate-slo-files.js";
import type { CliIo } from "../cli-io.js";
import { parseInstant } from "../parse-instant.js";
import { renderTable } from "../render-table.js";
import { staleLines, staleWarning, timedOutLines } from "../stale-attempt-lines.js";
import { styleFor } from "../style.js";

const collect = (value: string, previous: string[]) => [...previous, value];

interface EvaluateOptions {
  config: string[];
  deployments: string[];
  at?: string;
  format: "table" | "json";
  skipInvalid?: boolean;
  color?: boolean;
}

export function evaluateCommand(io: CliIo): Command {
  return new Command("evaluate")
    .description("Evaluate SLO specs over a deployment history as of an instant")
    .option("-c, --config <file>", "SLO spec file (YAML); repeat for more", collect, [])
    .option(
      "-d, --deployments <file>",
      "attempt records: NDJSON, JSON array or CSV; - for stdin; repeatable",
      collect,
      [],
    )
    .option("--at <time>", "evaluate as of this RFC 3339 instant (default: now)")
    .addOption(
      new Option("-f, --format <format>", "output format")
        .choices(["table", "json"])
        .default("table"),
    )
    .option("--skip-invalid", "report invalid records on stderr and evaluate the valid ones")
    .option("--no-color", "never colour the table")
    .action(async (options: EvaluateOptions) => {
      if (options.config.length === 0)
        throw new DeploysloError("USAGE", "evaluate needs --config FILE (an SLO spec)");
      if (options.deployments.length === 0) {
        throw new DeploysloError("USAGE", "evaluate needs --deployments FILE (attempt records)");
      }
      const at = parseInstant(options.at, () => io.now());
      const output = await evaluateSloFiles({
        configFiles: options.config,
        deploymentFiles: options.deployments,
        at,
        skipInvalid: options.skipInvalid === true,
      });
      for (const warning of output.warnings) io.stderr.write(`${formatDiagnostic(warning)}\n`);
      if (output.stats.invalid > 0) {
        for (const record of output.invalidRecords) {
          for (const line of describeInvalid(record)) io.stderr.write(`${line}\n`);
        }
        const more = output.stats.invalid - output.invalidRecords.length;
        if (more > 0)
          io.stderr.write(`… and ${more} more invalid ${more === 1 ? "record" : "records"}\n`);
        io.stderr.write(
          `deployslo: skipped ${output.stats.invalid} invalid of ${plural(output.stats.records, "record")}\n`,
        );
      }
      for (const line of timedOutLines(output.timedOut)) io.stderr.write(`${line}\n`);
      const stale = output.stale.map((s) => staleWarning(s, at));
      for (const line of staleLines(stale)) io.stderr.write(`${line}\n`);
      if (options.format === "json") {
        io.stdout.write(`${JSON.stringify(output.result, null, 2)}\n`);
        return;
      }
      const style = styleFor(io.stdout, io.env, options.color);
      io.stdout.write(renderTable(output.result, style));
      const { attempts, replaced } = output.stats;
      const files = options.deployments.length;
      const notes = [
        `as of ${output.result.at}`,
        `${plural(attempts, "attempt")} from ${plural(files, "file")}`,
      ];
      if (replaced > 0) notes.push(`${plural(replaced, "repeated id")} (last record kept)`);
      if (output.timedOut.length > 0)
        notes.push(`${output.timedOut.length} past their in-progress timeout counted as timed_out`);
      io.stdout.write(style.dim(`${notes.join(" · ")}\n`));
    });
}
