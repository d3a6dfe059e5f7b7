import { randomUUID } from "node:crypto";
import type { Command } from "commander";
import type { AttemptEvent } from "../../core/attempt/attempt-event.js";
import { parseDuration } from "../../core/primitives/duration.js";
import { DeploysloError } from "../../core/primitives/error-codes.js";
import { Recorder } from "../../runner/recorder.js";
import type { NewEvent } from "../../runner/runner-types.js";
import type { CliIo } from "../cli-io.js";
import { CommandExit } from "../command-exit.js";
import {
  type EventTarget,
  type TargetOptions as EventTargetOptions,
  openEventTarget,
  recordingFailure,
} from "../event-target.js";
import { integerOption } from "../integer-option.js";

/** Where to record, and the wrappers' own request timeout (`--timeout` is the attempt's). */
export type TargetOptions = EventTargetOptions & { requestTimeout: string };

/** The options of every CI wrapper: where the events go. */
export function withTarget(command: Command): Command {
  return command
    .option("-s, --server <url>", "record to this deployslo server (default: the embedded store)")
    .option("--token <token>", "API token with the ingest role (default: $DEPLOYSLO_TOKEN)")
    .option(
      "--database <path|url>",
      "the embedded store (default: $DEPLOYSLO_DATABASE_URL or .deployslo/deployslo.db)",
    )
    .option("--request-timeout <seconds>", "per request to the server", "30");
}

/** Opens the target, lets `body` record, flushes and closes; recording errors become errors. */
export async function recording<T>(
  options: TargetOptions,
  io: CliIo,
  body: (recorder: Recorder, target: EventTarget) => Promise<T>,
): Promise<T> {
  const target = await openEventTarget(
    options,
    integerOption("--request-timeout", options.requestTimeout, 1, 3600),
    io,
  );
  const recorder = new Recorder(target.sink);
  try {
    const value = await body(recorder, target);
    await recorder.flush();
    return value;
  } catch (error) {
    if (error instanceof DeploysloError || error instanceof CommandExit) {
      await recorder.flush().catch(() => undefined);
      throw error;
    }
    throw recordingFailure(error, recorder.where);
  } finally {
    await target.close();
  }
}

/** Records one event of the attempt with a new id. */
export function recordEvent(recorder: Recorder, attemptId: string, value: NewEvent): void {
  recorder.record({ ...value, id: randomUUID(), attemptId } as AttemptEvent);
}

/** A duration option (`500ms`, `2m`), not zero. */
export function durationOption(name: string, text: string): number {
  const parsed = parseDuration(text);
  if (!parsed.ok || parsed.ms === 0)
    throw new DeploysloError(
      "USAGE",
      `${name} must be a duration such as 500ms or 2m, got "${text}"`,
    );
  return parsed.ms;
}
