import { Command, CommanderError } from "commander";
import { DeploysloError } from "../core/primitives/error-codes.js";
import { StoreError } from "../store/store-error.js";
import { VERSION } from "../version.js";
import { cliContext } from "./cli-context.js";
import type { CliIo } from "./cli-io.js";
import { CommandExit } from "./command-exit.js";
import { alertsCommand } from "./commands/alerts.js";
import { approveCommand } from "./commands/approve.js";
import { budgetsCommand } from "./commands/budgets.js";
import { ciWrapperCommands } from "./commands/ci-wrappers.js";
import { driftCommand } from "./commands/drift.js";
import { evaluateCommand } from "./commands/evaluate.js";
import { exportCommand } from "./commands/export.js";
import { gateCommand } from "./commands/gate.js";
import { handoffsCommand } from "./commands/handoffs.js";
import { importCommand } from "./commands/import.js";
import { promoteCommand } from "./commands/promote.js";
import { pushCommand } from "./commands/push.js";
import { recommendCommand } from "./commands/recommend.js";
import { reportCommand } from "./commands/report.js";
import { serveCommand } from "./commands/serve.js";
import { simulateCommand } from "./commands/simulate.js";
import { statusCommand } from "./commands/status.js";
import { tailCommand } from "./commands/tail.js";
import { validateCommand } from "./commands/validate.js";
import { EXIT_CODES } from "./exit-code.js";

/** Builds the commander program; every command writes only through `io`. */
export function buildProgram(io: CliIo): Command {
  const program = new Command("deployslo")
    .description(
      "SLOs for ML model deployment latency: promote request → first successful inference.",
    )
    .version(VERSION, "-V, --version")
    // Program options only before the command name: promote --version V is promote's.
    .enablePositionalOptions()
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .exitOverride();
  const ctx = cliContext(io);
  program.addCommand(evaluateCommand(io, ctx));
  program.addCommand(validateCommand(io, ctx));
  program.addCommand(serveCommand(io, io.signals ?? { on: () => undefined }));
  program.addCommand(pushCommand(io, ctx)).addCommand(statusCommand(io));
  program.addCommand(alertsCommand(io, ctx));
  program.addCommand(gateCommand(io)).addCommand(approveCommand(io));
  program.addCommand(promoteCommand(io));
  program.addCommand(exportCommand(io, ctx)).addCommand(importCommand(io, ctx));
  program.addCommand(recommendCommand(io, ctx)).addCommand(tailCommand(io, ctx));
  program.addCommand(simulateCommand(io, ctx)).addCommand(handoffsCommand(io, ctx));
  program.addCommand(budgetsCommand(io, ctx));
  program.addCommand(driftCommand(io, ctx)).addCommand(reportCommand(io, ctx));
  for (const command of ciWrapperCommands(io)) program.addCommand(command);
  for (const command of program.commands.flatMap((c) => [c, ...c.commands])) {
    command
      .exitOverride()
      .showHelpAfterError("(run with --help for usage)")
      .configureOutput({
        writeOut: (text) => io.stdout.write(text),
        writeErr: (text) => io.stderr.write(text),
      });
  }
  return program;
}

/** What the store refused came from a value on the command line. */
function fromStore(error: StoreError): DeploysloError {
  switch (error.kind) {
    case "invalid-argument":
      return new DeploysloError("USAGE", error.message);
  }
}

function writeError(io: CliIo, error: DeploysloError): void {
  io.stderr.write(`deployslo: ${error.message}\n`);
  for (const line of error.details) io.stderr.write(`  ${line}\n`);
}

/**
 * Runs the CLI with `argv` (without node and script) and returns the exit code:
 * 0 success, 1 invalid configs or records, 2 usage errors (see docs/errors.md).
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version") return 0;
      if (error.code === "commander.help") return 0;
      return EXIT_CODES.USAGE;
    }
    if (error instanceof CommandExit) return error.exitCode;
    const known = error instanceof StoreError ? fromStore(error) : error;
    if (known instanceof DeploysloError) {
      writeError(io, known);
      return EXIT_CODES[known.code];
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(
      `deployslo: internal error: ${message}\n  This is a bug; please report it with the command you ran.\n`,
    );
    if (io.env.DEPLOYSLO_DEBUG === "1" && error instanceof Error)
      io.stderr.write(`${error.stack}\n`);
    return EXIT_CODES.INTERNAL;
  }
}
