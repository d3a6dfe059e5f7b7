import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command, Option } from "commander";
import { systemClock } from "../../clock/clock.js";
import { OUTCOMES, type Outcome, type StageKind } from "../../core/attempt/attempt.js";
import type { AttemptEvent } from "../../core/attempt/attempt-event.js";
import { TIMEOUT_ATTRIBUTE } from "../../core/evaluation/timed-out-attempt.js";
import { PROBE_PROTOCOLS, type ProbeProtocol } from "../../core/pipeline/pipeline.js";
import { parseDuration } from "../../core/primitives/duration.js";
import { DeploysloError } from "../../core/primitives/error-codes.js";
import { probeAttempt } from "../../runner/probe-attempt.js";
import { Recorder } from "../../runner/recorder.js";
import { parseStageOutput } from "../../runner/stage-output.js";
import type { CliIo } from "../cli-io.js";
import { CommandExit } from "../command-exit.js";
import {
  type EventTarget,
  type TargetOptions as EventTargetOptions,
  openEventTarget,
  recordingFailure,
} from "../event-target.js";
import { integerOption } from "../integer-option.js";
import { formatMs } from "../promote-progress.js";

const collect = (value: string, previous: string[]) => [...previous, value];

/** Where to record, and the wrappers' own request timeout (`--timeout` is the attempt's). */
type TargetOptions = EventTargetOptions & { requestTimeout: string };
type NewEvent = Omit<AttemptEvent, "id" | "attemptId">;

function withTarget(command: Command): Command {
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
async function recording<T>(
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

function event(recorder: Recorder, attemptId: string, value: NewEvent): void {
  recorder.record({ ...value, id: randomUUID(), attemptId } as AttemptEvent);
}

function durationOption(name: string, text: string): number {
  const parsed = parseDuration(text);
  if (!parsed.ok || parsed.ms === 0)
    throw new DeploysloError(
      "USAGE",
      `${name} must be a duration such as 500ms or 2m, got "${text}"`,
    );
  return parsed.ms;
}

function attemptCommand(io: CliIo): Command {
  const start = withTarget(
    new Command("start")
      .description(
        "Record that a promotion started (the SLO timer starts now); prints the attempt id",
      )
      .requiredOption("-m, --model <name>", "the model being promoted")
      .requiredOption("-v, --version <version>", "the version being promoted")
      .requiredOption("-e, --environment <name>", "where to, e.g. production")
      .option("--attempt-id <id>", "the attempt's id (default: a new UUID)")
      .option("--label <key=value>", "an attempt label; repeatable", collect, [])
      .option(
        "--timeout <duration>",
        "record the attempt as timed_out if it is still in progress this long after it started, e.g. 2h (default: from its SLOs' spec.inProgressTimeout)",
      ),
  ).action(
    async (
      options: TargetOptions & {
        model: string;
        version: string;
        environment: string;
        attemptId?: string;
        label: string[];
        timeout?: string;
      },
    ) => {
      const at = io.now();
      const timeoutMs =
        options.timeout === undefined ? undefined : durationOption("--timeout", options.timeout);
      const id = options.attemptId ?? randomUUID();
      const labels: Record<string, string> = {};
      for (const pair of options.label) {
        const eq = pair.indexOf("=");
        if (eq <= 0) throw new DeploysloError("USAGE", `--label must be KEY=VALUE, got "${pair}"`);
        labels[pair.slice(0, eq)] = pair.slice(eq + 1);
      }
      await recording(options, io, async (recorder) => {
        event(recorder, id, {
          type: "attempt.started",
          at,
          model: options.model,
          version: options.version,
          environment: options.environment,
          labels,
          attributes: {
            runner: "deployslo attempt start",
            ...(timeoutMs === undefined ? {} : { [TIMEOUT_ATTRIBUTE]: timeoutMs / 1000 }),
          },
        } as NewEvent);
      });
      io.stdout.write(`${id}\n`);
    },
  );
  const finished = OUTCOMES.filter((o) => o !== "in_progress");
  const finish = withTarget(
    new Command("finish")
      .description("Record how a promotion ended")
      .argument("<attempt>", "the attempt id from `attempt start`")
      .addOption(
        new Option("-o, --outcome <outcome>", "how it ended")
          .choices(finished)
          .makeOptionMandatory(),
      ),
  ).action(
    async (
      attemptId: string,
      options: TargetOptions & { outcome: Exclude<Outcome, "in_progress"> },
    ) => {
      const at = io.now();
      await recording(options, io, async (recorder) => {
        event(recorder, attemptId, {
          type: "attempt.finished",
          at,
          outcome: options.outcome,
        } as NewEvent);
      });
    },
  );
  return new Command("attempt")
    .description("Record an attempt of a pipeline that runs elsewhere (CI): start, finish")
    .addCommand(start)
    .addCommand(finish);
}

function stageCommand(io: CliIo): Command {
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
      const outputFile = join(scratch, "output");
      const code = await recording(options, io, async (recorder) => {
        const startedAt = io.now();
        event(recorder, attemptId, {
          type: "stage.started",
          at: startedAt,
          stage: name,
          kind: options.kind,
          attributes: {},
        } as NewEvent);
        const [file = "", ...args] = argv;
        const child = spawn(file, args, {
          stdio: "inherit",
          env: {
            ...io.env,
            ATTEMPT_ID: attemptId,
            DEPLOYSLO_STAGE: name,
            DEPLOYSLO_OUTPUT: outputFile,
          },
        });
        let cancelled = false;
        const forward = (signal: NodeJS.Signals) => () => {
          cancelled = true;
          child.kill(signal);
        };
        io.signals?.on("SIGINT", forward("SIGINT"));
        io.signals?.on("SIGTERM", forward("SIGTERM"));
        const exit = await new Promise<{
          code: number | null;
          signal: string | null;
          error?: string;
        }>((resolve) => {
          child.once("exit", (code, signal) => resolve({ code, signal }));
          child.once("error", (error) =>
            resolve({ code: 127, signal: null, error: error.message }),
          );
        });
        const endedAt = io.now();
        const written = parseStageOutput(await readFile(outputFile, "utf8").catch(() => ""));
        const attributes: Record<string, string | number | boolean> = { ...written.attributes };
        if (exit.code !== null) attributes.exitCode = exit.code;
        if (exit.error !== undefined) attributes.error = exit.error;
        else if (exit.signal !== null) attributes.error = `killed by ${exit.signal}`;
        const status = exit.code === 0 ? "succeeded" : cancelled ? "cancelled" : "failed";
        event(recorder, attemptId, {
          type: "stage.finished",
          at: endedAt,
          stage: name,
          status,
          startedAt,
          kind: options.kind,
          attributes,
        } as NewEvent);
        if (exit.error !== undefined)
          io.stderr.write(`deployslo: cannot run ${file}: ${exit.error}\n`);
        io.stderr.write(`deployslo: stage ${name} ${status} in ${formatMs(endedAt - startedAt)}\n`);
        return (
          exit.code ?? 128 + (exit.signal === "SIGKILL" ? 9 : exit.signal === "SIGINT" ? 2 : 15)
        );
      });
      await rm(scratch, { recursive: true, force: true });
      if (code !== 0) throw new CommandExit(code);
    },
  );
  return new Command("stage")
    .description("Record a stage of an attempt that runs elsewhere (CI)")
    .addCommand(exec);
}

interface ProbeOptions extends TargetOptions {
  protocol: ProbeProtocol;
  url: string;
  model?: string;
  request?: string;
  method: "GET" | "POST";
  field: string;
  expect?: string;
  interval: string;
  probeTimeout: string;
}

function probeCommand(io: CliIo): Command {
  return withTarget(
    new Command("probe")
      .description(
        "Send the first-inference probe until it succeeds: records servingAt (the SLO timer stops)",
      )
      .argument("<attempt>", "the attempt id from `attempt start`")
      .addOption(
        new Option("--protocol <protocol>", "how to ask")
          .choices([...PROBE_PROTOCOLS])
          .makeOptionMandatory(),
      )
      .requiredOption(
        "--url <url>",
        "the server's base URL (open-inference-v2, openai) or the request URL (http)",
      )
      .option("--model <name>", "the model name the server serves (open-inference-v2, openai)")
      .option(
        "--request <json>",
        "the request body: an inference request (open-inference-v2) or any JSON (http)",
      )
      .addOption(
        new Option("--method <method>", "http only").choices(["GET", "POST"]).default("GET"),
      )
      .option("--field <path>", "http only: the JSON field that must equal the version", "version")
      .option("--expect <version>", "what the answer must report (default: the attempt's version)")
      .option("--interval <duration>", "between tries", "250ms")
      .option("--probe-timeout <duration>", "give up after", "5m"),
  ).action(async (attemptId: string, options: ProbeOptions) => {
    if (options.protocol !== "http" && options.model === undefined)
      throw new DeploysloError("USAGE", `--protocol ${options.protocol} needs --model NAME`);
    let request: unknown = null;
    if (options.request !== undefined) {
      try {
        request = JSON.parse(options.request);
      } catch {
        throw new DeploysloError("USAGE", "--request must be JSON");
      }
    } else if (options.protocol === "open-inference-v2")
      throw new DeploysloError(
        "USAGE",
        "--protocol open-inference-v2 needs --request JSON (an inference request)",
      );
    const intervalMs = durationOption("--interval", options.interval);
    const timeoutMs = durationOption("--probe-timeout", options.probeTimeout);
    const cancel = new AbortController();
    io.signals?.on("SIGINT", () => cancel.abort());
    io.signals?.on("SIGTERM", () => cancel.abort());
    const result = await recording(options, io, async (recorder, target) => {
      const expect = options.expect ?? (await target.versionOf(attemptId));
      if (expect === undefined)
        throw new DeploysloError(
          "USAGE",
          `no attempt "${attemptId}" in ${target.hint}: pass --expect VERSION or start it with deployslo attempt start`,
        );
      return probeAttempt(
        {
          protocol: options.protocol,
          url: options.url,
          model: options.model ?? null,
          request,
          method: options.method,
          field: options.field,
          expect,
          intervalMs,
          timeoutMs,
        },
        attemptId,
        { clock: { now: () => io.now(), sleep: systemClock.sleep }, recorder, newId: randomUUID },
        cancel.signal,
      );
    });
    if (result.ok) {
      io.stderr.write(
        `deployslo: serving after ${result.tries} ${result.tries === 1 ? "try" : "tries"} (inference ${formatMs(result.latencyMs)})\n`,
      );
      return;
    }
    io.stderr.write(
      `deployslo: probe ${result.cancelled ? "cancelled" : "timed out"}: ${result.reason}\n`,
    );
    throw new CommandExit(1);
  });
}

/** The commands for pipelines that run elsewhere: attempt start|finish, stage exec, probe. */
export function ciWrapperCommands(io: CliIo): Command[] {
  return [attemptCommand(io), stageCommand(io), probeCommand(io)];
}
