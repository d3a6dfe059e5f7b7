import { randomUUID } from "node:crypto";
import { Command, Option } from "commander";
import { OUTCOMES, type Outcome } from "../../core/attempt/attempt.js";
import { TIMEOUT_ATTRIBUTE } from "../../core/evaluation/timed-out-attempt.js";
import { DeploysloError } from "../../core/primitives/error-codes.js";
import type { CliIo } from "../cli-io.js";
import type { TargetOptions } from "./ci-recording.js";
import { durationOption, recordEvent, recording, withTarget } from "./ci-recording.js";

const collect = (value: string, previous: string[]) => [...previous, value];

/** `deployslo attempt start|finish`: the attempt of a pipeline that runs elsewhere. */
export function attemptCommand(io: CliIo): Command {
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
        recordEvent(recorder, id, {
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
        });
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
        recordEvent(recorder, attemptId, {
          type: "attempt.finished",
          at,
          outcome: options.outcome,
        });
      });
    },
  );
  return new Command("attempt")
    .description("Record an attempt of a pipeline that runs elsewhere (CI): start, finish")
    .addCommand(start)
    .addCommand(finish);
}
