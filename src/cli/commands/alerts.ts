import { Command, Option } from "commander";
import { parseDuration } from "../../core/primitives/duration.js";
import { DeploysloError } from "../../core/primitives/error-codes.js";
import { plural } from "../../core/primitives/plural.js";
import { formatDiagnostic } from "../../core/spec/diagnostic.js";
import { type ReplayOutput, replayAlertFiles } from "../../services/replay-alert-files.js";
import type { CliContext } from "../cli-context.js";
import type { CliIo } from "../cli-io.js";
import { parseInstant } from "../parse-instant.js";
import { styleFor } from "../style.js";

const collect = (value: string, previous: string[]) => [...previous, value];

interface ReplayOptions {
  config: string[];
  deployments: string[];
  from?: string;
  to?: string;
  step: string;
  format: "table" | "json";
  skipInvalid?: boolean;
  color?: boolean;
}

function renderTransitions(output: ReplayOutput, io: CliIo, color: boolean | undefined): string {
  const style = styleFor(io.stdout, io.env, color);
  const rows = output.transitions.map((t) => [
    t.at,
    t.slo,
    t.alert,
    t.severity,
    t.state,
    t.atRisk === undefined ? "" : `puts ${t.atRisk.join(", ")} at risk`,
  ]);
  const header = ["at", "slo", "alert", "severity", "state", ""];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  let out = `${style.bold(line(header))}\n`;
  for (const row of rows) {
    const text = line(row);
    out += `${row[4] === "firing" ? (row[3] === "page" ? style.red(text) : style.yellow(text)) : text}\n`;
  }
  return out;
}

/** One line per incident: when, which SLOs, and how many pages it sent. */
function renderIncidents(output: ReplayOutput, io: CliIo, color: boolean | undefined): string {
  if (output.incidents.length === 0) return "";
  const style = styleFor(io.stdout, io.env, color);
  const rows = output.incidents.map((incident, i) => [
    `#${i + 1}`,
    incident.from,
    incident.to ?? "still firing",
    incident.slos.join(", "),
    `${incident.slo}/${incident.alert}`,
    String(incident.pages),
    String(incident.alertFirings),
  ]);
  const header = ["incident", "from", "to", "slos", "paged for", "pages", "alert firings"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  let out = `\n${style.bold(line(header))}\n`;
  for (const row of rows) out += `${line(row)}\n`;
  return out;
}

export function alertsCommand(io: CliIo, ctx: CliContext): Command {
  const alerts = new Command("alerts").description("Work with the alerts of SLO specs");
  alerts.addCommand(
    new Command("replay")
      .description(
        "Replay a deployment history step by step and print every alert that would have fired or resolved",
      )
      .option("-c, --config <file>", "SLO spec file (YAML); repeat for more", collect, [])
      .option(
        "-d, --deployments <file>",
        "attempt records: NDJSON, JSON array or CSV; - for stdin; repeatable",
        collect,
        [],
      )
      .option("--from <time>", "first instant (RFC 3339)")
      .option("--to <time>", "last instant (RFC 3339; default: now)")
      .option("--step <duration>", "evaluate every this long", "5m")
      .addOption(
        new Option("-f, --format <format>", "output format")
          .choices(["table", "json"])
          .default("table"),
      )
      .option("--skip-invalid", "report invalid records on stderr and replay the valid ones")
      .option("--no-color", "never colour the table")
      .action(async (options: ReplayOptions) => {
        if (options.config.length === 0)
          throw new DeploysloError("USAGE", "alerts replay needs --config FILE (an SLO spec)");
        if (options.deployments.length === 0) {
          throw new DeploysloError(
            "USAGE",
            "alerts replay needs --deployments FILE (attempt records)",
          );
        }
        if (options.from === undefined) {
          throw new DeploysloError("USAGE", "alerts replay needs --from TIME (RFC 3339)");
        }
        const step = parseDuration(options.step);
        if (!step.ok || step.ms < 1000) {
          throw new DeploysloError(
            "USAGE",
            `--step must be a duration of at least 1s, e.g. 5m; got "${options.step}"`,
          );
        }
        const from = parseInstant(options.from, () => io.now(), "--from");
        const to = parseInstant(options.to, () => io.now(), "--to");
        const output = await replayAlertFiles({
          ctx,
          input: {
            configFiles: options.config,
            deploymentFiles: options.deployments,
            from,
            to,
            stepMs: step.ms,
            skipInvalid: options.skipInvalid === true,
          },
        });
        for (const warning of output.warnings) io.stderr.write(`${formatDiagnostic(warning)}\n`);
        if (output.invalid > 0)
          io.stderr.write(`deployslo: skipped ${output.invalid} invalid records\n`);
        if (options.format === "json") {
          const { transitions, incidents, notifications } = output;
          io.stdout.write(
            `${JSON.stringify({ transitions, incidents, notifications }, null, 2)}\n`,
          );
          return;
        }
        io.stdout.write(renderTransitions(output, io, options.color));
        io.stdout.write(renderIncidents(output, io, options.color));
        const style = styleFor(io.stdout, io.env, options.color);
        const firing = output.notifications.filter((n) => n.state === "firing");
        const pages = firing.filter((n) => n.severity === "page").length;
        io.stdout.write(
          style.dim(
            `${plural(output.incidents.length, "incident")}, ${plural(pages, "page")}, ${plural(firing.length - pages, "ticket")} · ${plural(output.steps, "step")} of ${options.step} · ${plural(output.attempts, "attempt")}\n`,
          ),
        );
      }),
  );
  return alerts;
}
