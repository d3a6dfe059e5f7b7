import { randomUUID } from "node:crypto";
import { Command, Option } from "commander";
import { systemClock } from "../../clock/clock.js";
import { PROBE_PROTOCOLS, type ProbeProtocol } from "../../core/pipeline/pipeline.js";
import { DeploysloError } from "../../core/primitives/error-codes.js";
import { probeAttempt } from "../../runner/probe-attempt.js";
import type { CliIo } from "../cli-io.js";
import { CommandExit } from "../command-exit.js";
import { formatMs } from "../promote-progress.js";
import type { TargetOptions } from "./ci-recording.js";
import { durationOption, recording, withTarget } from "./ci-recording.js";

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

/** `deployslo probe`: the first-inference probe of an attempt that runs elsewhere. */
export function probeCommand(io: CliIo): Command {
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
