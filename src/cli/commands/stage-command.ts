import { mkdtemp, rm } from "node:fs/promises";
import { constants, tmpdir } from "node:os";
import { join } from "node:path";
import { Command, Option } from "commander";
import { systemClock } from "../../clock/clock.js";
import type { AttributeValue, StageKind } from "../../core/attempt/attempt.js";
import { runAction } from "../../runner/run-action.js";
import type { ActionResult } from "../../runner/stage-action.js";
import type { CliIo } from "../cli-io.js";
import { CommandExit } from "../command-exit.js";
import { formatMs } from "../promote-progress.js";
import type { TargetOptions } from "./ci-recording.js";
import { recordEvent, recording, withTarget } from "./ci-recording.js";

/** The exit code a shell gives a command: its own, or 128 + the signal that ended it. */
function exitCodeOf(result: ActionResult): number {
  const exit = result.exit;
  if (exit === undefined) return result.ok ? 0 : 1;
  if (exit.code !== null) return exit.code;
  const number = constants.signals[exit.signal as keyof typeof constants.signals];
  return 128 + (typeof number === "number" ? number : 15);
}

/** Runs the command with the `run` action as `promote` does, its output passed through. */
async function execStage(
  io: CliIo,
  argv: readonly string[],
  context: { attemptId: string; name: string; scratch: string },
): Promise<ActionResult & { cancelled: boolean }> {
  const cancel = new AbortController();
  // The signal the user sent is the one the command's process group gets.
  const forward = (signal: "SIGINT" | "SIGTERM") => () => cancel.abort(signal);
  io.signals?.on("SIGINT", forward("SIGINT"));
  io.signals?.on("SIGTERM", forward("SIGTERM"));
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(io.env)) if (value !== undefined) env[key] = value;
  const result = await runAction(
    { command: argv },
    {
      stage: context.name,
      tryNumber: 1,
      signal: cancel.signal,
      clock: { now: () => io.now(), sleep: systemClock.sleep },
      baseDir: process.cwd(),
      scratch: context.scratch,
      env: { ...env, ATTEMPT_ID: context.attemptId },
      expand: () => {
        throw new Error("stage exec expands no pipeline templates");
      },
      onLine: (line, stream) => (stream === "stdout" ? io.stdout : io.stderr).write(`${line}\n`),
    },
  );
  return { ...result, cancelled: cancel.signal.aborted };
}

/** `deployslo stage exec`: a command as a stage of an attempt that runs elsewhere. */
export function stageCommand(io: CliIo): Command {
  const exec = withTarget(
    new Command("exec")
      .description(
        "Run a command as a stage of an attempt: times it, records its span, passes its exit code through",
      )
      .argument("<attempt>", "the attempt id from `attempt start`")
      .argument("<name>", "the stage's name, e.g. shift-traffic")
      .argument("<command...>", "the command and its arguments (after --)")
      .addOption(
        new Option("-k, --kind <kind>", "active for work, wait for queues and approvals")
          .choices(["active", "wait"])
          .default("active"),
      ),
  ).action(
    async (
      attemptId: string,
      name: string,
      argv: string[],
      options: TargetOptions & { kind: StageKind },
    ) => {
      const scratch = await mkdtemp(join(tmpdir(), "deployslo-stage-"));
      const code = await recording(options, io, async (recorder) => {
        const startedAt = io.now();
        recordEvent(recorder, attemptId, {
          type: "stage.started",
          at: startedAt,
          stage: name,
          kind: options.kind,
          attributes: {},
        });
        const result = await execStage(io, argv, { attemptId, name, scratch });
        const endedAt = io.now();
        const attributes: Record<string, AttributeValue> = { ...result.attributes };
        if (result.error !== undefined) attributes.error = result.error.slice(0, 500);
        const status = result.ok ? "succeeded" : result.cancelled ? "cancelled" : "failed";
        recordEvent(recorder, attemptId, {
          type: "stage.finished",
          at: endedAt,
          stage: name,
          status,
          startedAt,
          kind: options.kind,
          attributes,
        });
        const spawnError = result.exit?.spawnError ?? null;
        if (spawnError !== null)
          io.stderr.write(`deployslo: cannot run ${argv[0] ?? ""}: ${spawnError}\n`);
        io.stderr.write(`deployslo: stage ${name} ${status} in ${formatMs(endedAt - startedAt)}\n`);
        return exitCodeOf(result);
      });
      await rm(scratch, { recursive: true, force: true });
      if (code !== 0) throw new CommandExit(code);
    },
  );
  return new Command("stage")
    .description("Record a stage of an attempt that runs elsewhere (CI)")
    .addCommand(exec);
}
