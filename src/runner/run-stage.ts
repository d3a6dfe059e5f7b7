import type { AttributeValue } from "../core/attempt/attempt.js";
import type { PipelineStage } from "../core/pipeline/pipeline.js";
import { anySignal } from "./any-signal.js";
import type { AttemptRun } from "./attempt-run.js";
import { failureLogs, withNeeds } from "./log-tails.js";
import type { NodeStatus } from "./run-dag.js";
import type { StageReport } from "./runner-types.js";
import type { ActionResult } from "./stage-action.js";
import { runStageAction } from "./stage-actions.js";

const MAX_ERROR = 500;

/** An error as a span attribute: at most 500 characters. */
export function shorten(text: string): string {
  return text.length > MAX_ERROR ? `${text.slice(0, MAX_ERROR - 1)}…` : text;
}

interface Tried {
  readonly status: NodeStatus;
  readonly error: string | null;
  readonly attributes: Readonly<Record<string, AttributeValue>>;
  readonly tries: number;
  readonly log: readonly string[] | undefined;
}

/** One try under the stage's timeout; a throw is a failed try. */
async function tryOnce(
  run: AttemptRun,
  stage: PipelineStage,
  signal: AbortSignal,
  tryNumber: number,
): Promise<{ result: ActionResult; timedOut: boolean }> {
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort("stage timeout"), stage.timeoutMs);
  let result: ActionResult;
  try {
    result = await runStageAction(stage.action, {
      stage: stage.name,
      tryNumber,
      signal: anySignal([signal, timeout.signal]),
      clock: run.clock,
      baseDir: run.deps.baseDir,
      scratch: run.scratch,
      env: run.commandEnv(),
      expand: run.expand,
      onLine: (line) => run.emit({ type: "stage-log", stage: stage.name, line }),
      serving: run.pipeline.serving,
      onServing: run.markServing,
    });
  } catch (thrown) {
    result = { ok: false, error: thrown instanceof Error ? thrown.message : String(thrown) };
  } finally {
    clearTimeout(timer);
  }
  if (result.outputs !== undefined) run.outputs.set(stage.name, result.outputs);
  return { result, timedOut: timeout.signal.aborted };
}

/** Why a stage stopped when its signal aborted: the user, the attempt's timeout, or a sibling. */
function stopped(run: AttemptRun): { status: NodeStatus; error: string } {
  if (run.cancel.aborted) return { status: "cancelled", error: "cancelled" };
  if (run.deadline.aborted)
    return { status: "timed_out", error: `attempt timeout (${run.pipeline.timeoutMs} ms)` };
  if (run.threshold.aborted)
    return {
      status: "timed_out",
      error: `the SLO's threshold (${run.deps.thresholdMs ?? 0} ms) passed before serving: stopped to roll back (onThresholdExceeded: rollback)`,
    };
  return { status: "cancelled", error: "stopped: another stage failed" };
}

/** Tries the stage's action until it succeeds, its retries run out or it is stopped. */
async function tryStage(
  run: AttemptRun,
  stage: PipelineStage,
  signal: AbortSignal,
): Promise<Tried> {
  for (let tries = 1; ; tries++) {
    const { result, timedOut } = await tryOnce(run, stage, signal, tries);
    const attributes = { ...(result.attributes ?? {}) };
    if (result.ok) return { status: "succeeded", error: null, attributes, tries, log: undefined };
    let error = result.error ?? "failed";
    if (signal.aborted) return { ...stopped(run), attributes, tries, log: result.log };
    if (timedOut)
      error = `timed out after ${stage.timeoutMs} ms${error === "failed" ? "" : `: ${error}`}`;
    if (tries > stage.retries)
      return {
        status: timedOut ? "timed_out" : "failed",
        error,
        attributes,
        tries,
        log: result.log,
      };
    run.emit({
      type: "stage-retry",
      stage: stage.name,
      try: tries + 1,
      error,
      at: run.clock.now(),
    });
    await run.clock.sleep(stage.retryDelayMs, signal);
    if (signal.aborted)
      return { status: stopped(run).status, error, attributes, tries, log: result.log };
  }
}

function recordStart(run: AttemptRun, stage: PipelineStage, rollback: boolean): number {
  const at = run.clock.now();
  run.record({ type: "stage.started", at, stage: stage.name, kind: stage.kind, attributes: {} });
  run.emit({ type: "stage-started", stage: stage.name, kind: stage.kind, at, rollback });
  return at;
}

function recordFinish(
  run: AttemptRun,
  stage: PipelineStage,
  rollback: boolean,
  span: { readonly startedAt: number; readonly endedAt: number },
  tried: Tried,
  log: StageReport["log"],
): void {
  const { startedAt, endedAt } = span;
  const attributes: Record<string, AttributeValue> = { ...tried.attributes, tries: tried.tries };
  if (tried.error !== null) attributes.error = shorten(tried.error);
  if (rollback) attributes.rollback = true;
  run.record({
    type: "stage.finished",
    at: endedAt,
    stage: stage.name,
    status: tried.status,
    startedAt,
    kind: stage.kind,
    attributes,
  });
  const report: StageReport = {
    name: stage.name,
    kind: stage.kind,
    status: tried.status,
    startedAt,
    endedAt,
    tries: tried.tries,
    error: tried.error,
    attributes,
    rollback,
    log,
  };
  run.reports.set(stage.name, report);
  run.emit({ type: "stage-finished", stage: report, at: endedAt });
}

/** Runs the stages of one DAG (the main one, or onFailure's) for runDag. */
export function stageRunner(
  run: AttemptRun,
  stages: readonly PipelineStage[],
  rollback: boolean,
): (stage: PipelineStage, signal: AbortSignal) => Promise<NodeStatus> {
  return async (stage, signal) => {
    const startedAt = recordStart(run, stage, rollback);
    const tried = await tryStage(run, stage, signal);
    const endedAt = run.clock.now();
    const failed = tried.status === "failed" || tried.status === "timed_out";
    const log = failed
      ? await failureLogs(
          stage.name,
          tried.log,
          withNeeds(stage.name, stages),
          run.outputs,
          run.deps.baseDir,
        )
      : [];
    recordFinish(run, stage, rollback, { startedAt, endedAt }, tried, log);
    return tried.status;
  };
}

/** The report of a stage that never started. */
export function skippedReport(stage: PipelineStage, rollback: boolean): StageReport {
  return {
    name: stage.name,
    kind: stage.kind,
    status: "skipped",
    startedAt: null,
    endedAt: null,
    tries: 0,
    error: null,
    attributes: {},
    rollback,
    log: [],
  };
}
