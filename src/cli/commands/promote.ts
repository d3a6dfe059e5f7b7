import { randomUUID } from "node:crypto";
import { dirname, resolve } from "node:path";
import { Command, Option } from "commander";
import { systemClock } from "../../clock/clock.js";
import { loadPipeline } from "../../config/load-pipeline.js";
import { loadSloSpecs } from "../../config/load-slo-specs.js";
import { sloForAttempt } from "../../core/evaluation/slo-for-attempt.js";
import type { Pipeline } from "../../core/pipeline/pipeline.js";
import { formatDuration } from "../../core/primitives/duration.js";
import { DeploysloError } from "../../core/primitives/error-codes.js";
import { plural } from "../../core/primitives/plural.js";
import { formatTimestamp } from "../../core/primitives/timestamp.js";
import { formatDiagnostic } from "../../core/spec/diagnostic.js";
import { CHANGE_TYPES, type ChangeType } from "../../core/spec/gate-policy.js";
import type { Slo } from "../../core/spec/slo.js";
import { Recorder } from "../../runner/recorder.js";
import { type PromoteResult, runPipeline } from "../../runner/run-pipeline.js";
import type { CliIo } from "../cli-io.js";
import { CommandExit } from "../command-exit.js";
import { openEventTarget, recordingFailure } from "../event-target.js";
import { integerOption } from "../integer-option.js";
import { promoteGate } from "../promote-gate.js";
import { formatMs, PromoteProgress } from "../promote-progress.js";
import { type Style, styleFor } from "../style.js";
import { GATE_EXIT_CODES } from "./gate.js";

const collect = (value: string, previous: string[]) => [...previous, value];

interface PromoteOptions {
  pipeline: string;
  model: string;
  version: string;
  environment: string;
  attemptId?: string;
  label: string[];
  config: string[];
  slo?: string;
  server?: string;
  token?: string;
  database?: string;
  timeout: string;
  format: "text" | "json";
  workdir?: string;
  color?: boolean;
  /** false with --no-gate. */
  gate: boolean;
  change: ChangeType;
}

function parseLabels(pairs: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new DeploysloError("USAGE", `--label must be KEY=VALUE, got "${pair}"`);
    labels[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return labels;
}

/** Until it served, for a promotion that succeeded; else until it ended (rollback included). */
function durationOf(result: PromoteResult): number {
  const end =
    result.outcome === "succeeded" ? (result.servingAt ?? result.endedAt) : result.endedAt;
  return end - result.startedAt;
}

function sloVerdict(result: PromoteResult, slo: Slo | undefined) {
  if (slo === undefined) return null;
  const thresholdMs = slo.objective.thresholdMs;
  const durationMs = durationOf(result);
  return {
    name: slo.name,
    thresholdMs,
    // A promotion that did not succeed never meets its SLO, even if it served before failing.
    met: result.outcome === "succeeded" && durationMs <= thresholdMs,
  };
}

function resultJson(result: PromoteResult, slo: Slo | undefined, where: string) {
  const time = (ms: number | null) => (ms === null ? null : formatTimestamp(ms));
  return {
    attemptId: result.attemptId,
    outcome: result.outcome,
    startedAt: time(result.startedAt),
    servingAt: time(result.servingAt),
    endedAt: time(result.endedAt),
    durationMs: durationOf(result),
    slo: sloVerdict(result, slo),
    criticalPath: result.criticalPath,
    probe: result.probe,
    rollback: result.rollback,
    gate: result.gate,
    stages: result.stages.map((s) => ({
      name: s.name,
      kind: s.kind,
      status: s.status,
      startedAt: time(s.startedAt),
      endedAt: time(s.endedAt),
      durationMs: s.startedAt === null || s.endedAt === null ? null : s.endedAt - s.startedAt,
      tries: s.tries,
      error: s.error,
      rollback: s.rollback,
      attributes: s.attributes,
      log: s.log,
    })),
    recordedIn: where,
  };
}

const OUTCOME_WORDS: Record<PromoteResult["outcome"], string> = {
  succeeded: "succeeded",
  failed: "failed",
  rolled_back: "failed and was rolled back",
  timed_out: "timed out",
  cancelled: "was cancelled",
};

/** The last lines of what each failed stage (or the probe) and the stages it needs started. */
function failureLogLines(result: PromoteResult, style: Style): string[] {
  const lines: string[] = [];
  for (const stage of result.stages)
    for (const tail of stage.log) {
      const what =
        tail.file === null
          ? `its output`
          : `${tail.file}${tail.stage === stage.name ? "" : ` (the log ${tail.stage} named)`}`;
      lines.push(`${stage.name} ${stage.status.replace("_", " ")}; last lines of ${what}:`);
      for (const line of tail.lines) lines.push(style.dim(`  | ${line}`));
    }
  return lines;
}

/** Why the gate stopped the promotion and what would unblock it; undefined if it did not. */
function gateStopLines(result: PromoteResult, title: string, style: Style): string[] | undefined {
  const gate = result.gate;
  if (gate === null || gate.decision === "allow") return undefined;
  if (gate.decision === null)
    return [
      `${title}: ${style.red("not started")}: the deployment gate could not be asked`,
      `  ${gate.error ?? "no answer"}`,
      "nothing ran; --no-gate promotes without asking the gate",
    ];
  const what = gate.decision === "deny" ? "denied" : "needs an approval";
  const unblock =
    gate.decision === "deny"
      ? "nothing ran; wait until the error budget recovers, or promote a fix with --change hotfix (if the policy exempts it)"
      : `nothing ran; an approver can run deployslo approve for this model and environment, then promote again`;
  return [
    `${title}: ${style.red(`not started: the deployment gate ${what}`)} (decided by ${gate.where})`,
    ...gate.reasons.map((reason) => `  ${reason}`),
    unblock,
  ];
}

function summary(
  result: PromoteResult,
  title: string,
  slo: Slo | undefined,
  where: string,
  style: Style,
): string {
  const stopped = gateStopLines(result, title, style);
  if (stopped !== undefined)
    return `${[...stopped, style.dim(`attempt ${result.attemptId}, recorded in ${where}`)].join("\n")}\n`;
  const lines: string[] = [];
  const ok = result.outcome === "succeeded";
  const verdict = sloVerdict(result, slo);
  const took = formatMs(durationOf(result));
  let head = `${title}: ${(ok ? style.green : style.red)(OUTCOME_WORDS[result.outcome])} ${ok ? "serving after" : "after"} ${took}`;
  if (verdict !== null) {
    const against = `SLO ${verdict.name}: threshold ${formatDuration(verdict.thresholdMs)}`;
    head += verdict.met
      ? ` (${against}, met with ${formatMs(verdict.thresholdMs - durationOf(result))} to spare)`
      : ` (${against}, ${style.red("missed")})`;
  }
  lines.push(head);
  if (typeof result.gate?.estimate === "string")
    lines.push(style.dim(`  before it started, the gate's ${result.gate.estimate}`));
  const width = Math.max(5, ...result.stages.map((s) => s.name.length + (s.rollback ? 2 : 0)));
  lines.push(
    style.dim(
      `  ${"stage".padEnd(width)}  ${"kind".padEnd(6)}  ${"status".padEnd(9)}  ${"start".padStart(8)}  ${"took".padStart(8)}`,
    ),
  );
  for (const s of result.stages) {
    const start = s.startedAt === null ? "–" : `+${formatMs(s.startedAt - result.startedAt)}`;
    const tookStage =
      s.startedAt === null || s.endedAt === null ? "–" : formatMs(s.endedAt - s.startedAt);
    const name = `${s.rollback ? "↩ " : ""}${s.name}`;
    const status =
      s.status === "skipped" && s.rollback && result.outcome === "cancelled" ? "not run" : s.status;
    const error = s.error === null ? "" : style.dim(`  ${s.error}`);
    lines.push(
      `  ${name.padEnd(width)}  ${s.kind.padEnd(6)}  ${status.padEnd(9)}  ${start.padStart(8)}  ${tookStage.padStart(8)}${error}`,
    );
  }
  const ran = result.stages.filter((s) => s.startedAt !== null && s.endedAt !== null);
  const slowest = ran.reduce<(typeof ran)[number] | undefined>(
    (a, s) =>
      a === undefined ||
      (s.endedAt ?? 0) - (s.startedAt ?? 0) > (a.endedAt ?? 0) - (a.startedAt ?? 0)
        ? s
        : a,
    undefined,
  );
  if (slowest !== undefined)
    lines.push(
      `slowest stage: ${slowest.name} (${formatMs((slowest.endedAt ?? 0) - (slowest.startedAt ?? 0))})`,
    );
  if (result.criticalPath.length > 0)
    lines.push(`critical path: ${result.criticalPath.join(" → ")}`);
  lines.push(...failureLogLines(result, style));
  if (result.outcome === "cancelled") {
    const done = result.stages
      .filter((s) => s.status === "succeeded" && !s.rollback)
      .map((s) => s.name);
    lines.push(
      style.yellow(
        `cancelled: running stages were stopped; onFailure did not run${done.length > 0 ? `; these stages had completed and their changes remain: ${done.join(", ")}` : ""}`,
      ),
    );
  }
  lines.push(style.dim(`attempt ${result.attemptId}, recorded in ${where}`));
  return `${lines.join("\n")}\n`;
}

/** The SLO specs of --config, and the one to show the threshold of. */
async function sloFor(
  options: PromoteOptions,
  labels: Record<string, string>,
): Promise<{ slo: Slo | undefined; slos: readonly Slo[] }> {
  if (options.config.length === 0) {
    if (options.slo !== undefined)
      throw new DeploysloError("USAGE", "--slo needs --config FILE (the SLO specs)");
    return { slo: undefined, slos: [] };
  }
  const specs = await loadSloSpecs(options.config);
  const errors = specs.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0)
    throw new DeploysloError(
      "CONFIG_INVALID",
      `${plural(errors.length, "error")} in SLO specs`,
      errors.map(formatDiagnostic),
    );
  const slo = sloForAttempt(
    specs.slos,
    { model: options.model, environment: options.environment, labels },
    options.slo,
  );
  return { slo, slos: specs.slos };
}

/** A cancel that SIGINT and SIGTERM abort, saying so once. */
function cancelOnSignals(io: CliIo): AbortController {
  const cancel = new AbortController();
  const onSignal = () => {
    if (!cancel.signal.aborted)
      io.stderr.write("\ndeployslo: stopping: cancelling the running stages…\n");
    cancel.abort();
  };
  io.signals?.on("SIGINT", onSignal);
  io.signals?.on("SIGTERM", onSignal);
  return cancel;
}

/** Runs the pipeline, recording to the target, with live progress on stderr. */
async function runPromotion(
  io: CliIo,
  options: PromoteOptions,
  context: {
    pipeline: Pipeline;
    timeout: number;
    startedAt: number;
    labels: Record<string, string>;
    slo: Slo | undefined;
    slos: readonly Slo[];
    title: string;
  },
): Promise<{ result: PromoteResult; where: string; recordError?: DeploysloError }> {
  const { pipeline, timeout } = context;
  const target = await openEventTarget(options, timeout, io);
  const gate = options.gate
    ? promoteGate(
        {
          model: options.model,
          environment: options.environment,
          version: options.version,
          change: options.change,
          labels: context.labels,
        },
        {
          ...(options.server === undefined ? {} : { server: options.server }),
          ...(options.token === undefined ? {} : { token: options.token }),
          timeoutSeconds: timeout,
          slos: context.slos,
          store: target.store,
        },
        { now: () => io.now(), sleep: systemClock.sleep },
        io,
      )
    : undefined;
  if (options.gate && gate === undefined && options.format === "text")
    io.stderr.write(
      "deployslo: the deployment gate was not asked: give --server URL, or --config FILE to decide over the embedded store (--no-gate says you mean it)\n",
    );
  const recorder = new Recorder(target.sink);
  const cancel = cancelOnSignals(io);
  let openError: unknown;
  target.ready.catch((error: unknown) => {
    openError = error;
    cancel.abort();
  });
  const progress = new PromoteProgress({
    write: (text) => io.stderr.write(text),
    now: () => io.now(),
    tty: io.stderr.isTTY === true,
    style: styleFor(io.stderr, io.env, options.color),
    title: context.title,
    startedAt: context.startedAt,
    thresholdMs: context.slo?.objective.thresholdMs ?? null,
  });
  let result: PromoteResult;
  try {
    result = await runPipeline(
      pipeline,
      {
        attemptId: options.attemptId ?? randomUUID(),
        model: options.model,
        version: options.version,
        environment: options.environment,
        labels: context.labels,
      },
      {
        clock: { now: () => io.now(), sleep: systemClock.sleep },
        recorder,
        baseDir: resolve(options.workdir ?? dirname(resolve(options.pipeline))),
        env: io.env,
        newId: randomUUID,
        onEvent: (event) => progress.onEvent(event),
        thresholdMs: context.slo?.objective.thresholdMs ?? null,
        ...(gate === undefined ? {} : { gate }),
      },
      cancel.signal,
      context.startedAt,
    );
  } finally {
    progress.stop();
  }
  if (openError !== undefined) {
    await target.close();
    throw recordingFailure(openError, target.sink.where);
  }
  try {
    await recorder.flush();
    return { result, where: target.hint };
  } catch (error) {
    // The summary is still worth printing: the attempt ran.
    return { result, where: target.hint, recordError: recordingFailure(error, recorder.where) };
  } finally {
    await target.close();
  }
}

export function promoteCommand(io: CliIo): Command {
  return new Command("promote")
    .description("Run a promotion pipeline, measuring promote → first successful inference")
    .requiredOption("-p, --pipeline <file>", "the pipeline (kind: Pipeline, YAML)")
    .requiredOption("-m, --model <name>", "the model being promoted")
    .requiredOption("-v, --version <version>", "the version being promoted")
    .requiredOption("-e, --environment <name>", "where to, e.g. production")
    .option("--attempt-id <id>", "the attempt's id (default: a new UUID)")
    .option("--label <key=value>", "an attempt label; repeatable", collect, [])
    .option("-c, --config <file>", "SLO specs, for the threshold shown; repeatable", collect, [])
    .option(
      "--slo <name>",
      "the SLO to measure against (default: the first whole-deployment SLO matching the attempt)",
    )
    .option("-s, --server <url>", "record to this deployslo server (default: the embedded store)")
    .option("--token <token>", "API token with the ingest role (default: $DEPLOYSLO_TOKEN)")
    .option(
      "--database <path|url>",
      "the embedded store (default: $DEPLOYSLO_DATABASE_URL or .deployslo/deployslo.db)",
    )
    .option("--timeout <seconds>", "per request to the server", "30")
    .option(
      "--workdir <dir>",
      "where run stages start and relative paths resolve (default: the pipeline file's folder)",
    )
    .addOption(
      new Option("-f, --format <format>", "summary format")
        .choices(["text", "json"])
        .default("text"),
    )
    .option("--no-color", "never colour the output")
    .option("--no-gate", "do not ask the deployment gate before the first stage")
    .addOption(
      new Option("--change <type>", "kind of change, for the gate: exempt kinds pass a freeze")
        .choices([...CHANGE_TYPES])
        .default("normal"),
    )
    .action(async (options: PromoteOptions) => {
      const startedAt = io.now();
      const timeout = integerOption("--timeout", options.timeout, 1, 3600);
      const labels = parseLabels(options.label);
      const pipeline = await loadPipeline(options.pipeline);
      const { slo, slos } = await sloFor(options, labels);
      if (pipeline.onThresholdExceeded === "rollback" && slo === undefined)
        throw new DeploysloError(
          "USAGE",
          `the pipeline ${pipeline.name} rolls back when its SLO's threshold passes (onThresholdExceeded: rollback): give --config FILE with an SLO that selects ${options.model} in ${options.environment} (and --slo NAME to choose one)`,
        );
      const title = `${options.model} ${options.version} → ${options.environment}`;
      const { result, where, recordError } = await runPromotion(io, options, {
        pipeline,
        timeout,
        startedAt,
        labels,
        slo,
        slos,
        title,
      });
      if (options.format === "json")
        io.stdout.write(`${JSON.stringify(resultJson(result, slo, where), null, 2)}\n`);
      else
        io.stdout.write(
          summary(result, title, slo, where, styleFor(io.stdout, io.env, options.color)),
        );
      if (recordError !== undefined) throw recordError;
      const decision = result.gate?.decision;
      if (decision === "deny" || decision === "approval_required")
        throw new CommandExit(GATE_EXIT_CODES[decision]);
      if (result.outcome !== "succeeded") throw new CommandExit(1);
    });
}
