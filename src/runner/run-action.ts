import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { AttributeValue } from "../core/attempt/attempt.js";
import { runCommand } from "./run-command.js";
import type { ActionContext, ActionResult, StageAction } from "./stage-action.js";
import { parseStageOutput } from "./stage-output.js";

/** A command: a string runs with /bin/sh, a list is a program and its arguments. */
export interface RunCommandAction {
  readonly command: string | readonly string[];
}

/** Lines of a failed command's output kept for its stage's report. */
export const LOG_LINES = 10;

function failure(result: Awaited<ReturnType<typeof runCommand>>): string {
  if (result.spawnError !== null) return `cannot run: ${result.spawnError}`;
  const why =
    result.exitCode === null ? `killed by ${result.signal}` : `exit code ${result.exitCode}`;
  const last = result.tail.filter((l) => l.trim() !== "").at(-1);
  return last === undefined ? why : `${why}: ${last}`;
}

/**
 * The `run` action, for `promote` and `deployslo stage exec` alike: runs the command in its own
 * process group with DEPLOYSLO_STAGE, DEPLOYSLO_TRY and DEPLOYSLO_OUTPUT set, and reads back the
 * `key=value` lines it wrote to $DEPLOYSLO_OUTPUT. Succeeds on exit code 0.
 */
export const runAction: StageAction<RunCommandAction> = async (
  action: RunCommandAction,
  context: ActionContext,
): Promise<ActionResult> => {
  const outputFile = join(context.scratch, `${context.stage}.${context.tryNumber}.out`);
  await writeFile(outputFile, "");
  const result = await runCommand(action.command, {
    cwd: context.baseDir,
    env: {
      ...context.env,
      DEPLOYSLO_STAGE: context.stage,
      DEPLOYSLO_TRY: String(context.tryNumber),
      DEPLOYSLO_OUTPUT: outputFile,
    },
    signal: context.signal,
    ...(context.onLine === undefined ? {} : { onLine: context.onLine }),
  });
  const written = parseStageOutput(await readFile(outputFile, "utf8").catch(() => ""));
  const attributes: Record<string, AttributeValue> = { ...written.attributes };
  if (result.exitCode !== null) attributes.exitCode = result.exitCode;
  const exit = { code: result.exitCode, signal: result.signal, spawnError: result.spawnError };
  if (result.exitCode === 0) return { ok: true, attributes, outputs: written.values, exit };
  const log = result.tail.filter((l) => l.trim() !== "").slice(-LOG_LINES);
  return {
    ok: false,
    error: failure(result),
    attributes,
    outputs: written.values,
    exit,
    ...(log.length > 0 ? { log } : {}),
  };
};
