import { rm } from "node:fs/promises";
import { criticalPath } from "../core/attempt/critical-path.js";
import type { Pipeline } from "../core/pipeline/pipeline.js";
import { anySignal } from "./any-signal.js";
import { type AttemptRun, startAttemptRun } from "./attempt-run.js";
import { runDag } from "./run-dag.js";
import { GATE_STAGE, type GateResult, runGateStage } from "./run-gate-stage.js";
import { PROBE_STAGE, runProbeStage } from "./run-probe-stage.js";
import { skippedReport, stageRunner } from "./run-stage.js";
import type { PromoteRequest, PromoteResult, RunnerDeps, StageReport } from "./runner-types.js";

export { INFERENCE_LATENCY, PROBE_STAGE } from "./run-probe-stage.js";
export type {
  LogTail,
  PromoteRequest,
  PromoteResult,
  RunnerDeps,
  RunnerEvent,
  StageReport,
} from "./runner-types.js";

type Outcome = PromoteResult["outcome"];

interface Served {
  readonly outcome: Outcome;
  readonly servingAt: number | null;
  readonly probe: PromoteResult["probe"];
}

/** The stages, then (when every one succeeded) the probe, under the attempt's timeout. */
async function runMain(run: AttemptRun): Promise<Served> {
  const { pipeline, cancel, deadline } = run;
  const main = anySignal([cancel, deadline, run.threshold]);
  const statuses = await runDag(pipeline.stages, stageRunner(run, pipeline.stages, false), main);
  for (const stage of pipeline.stages)
    if (!run.reports.has(stage.name)) run.reports.set(stage.name, skippedReport(stage, false));
  const servingAt = run.servedAt();
  if (cancel.aborted) return { outcome: "cancelled", servingAt, probe: null };
  if (!pipeline.stages.every((s) => statuses.get(s.name) === "succeeded"))
    return { outcome: deadline.aborted ? "timed_out" : "failed", servingAt, probe: null };
  const probed = await runProbeStage(run, main);
  // Stopped at the SLO's threshold: a failure that onFailure rolls back, not the attempt's timeout.
  if (probed.outcome !== "succeeded" && run.threshold.aborted && !cancel.aborted)
    return { ...probed, outcome: "failed", servingAt };
  return probed;
}

/** onFailure, when the attempt failed or timed out: a failure it undoes is `rolled_back`. */
async function runRollback(
  run: AttemptRun,
  outcome: Outcome,
): Promise<{ outcome: Outcome; rollback: PromoteResult["rollback"] }> {
  const { onFailure } = run.pipeline;
  // A canary that moved traffic back has rolled back by itself, even with no onFailure.
  const canaryRestored = [...run.reports.values()].some(
    (r) => !r.rollback && r.attributes["canary.trafficRestored"] === true,
  );
  if (outcome === "failed" && onFailure.length === 0 && canaryRestored)
    return { outcome: "rolled_back", rollback: "succeeded" };
  if (outcome === "succeeded" || outcome === "cancelled" || onFailure.length === 0) {
    // Say so when onFailure did not run because the attempt was cancelled.
    if (outcome === "cancelled")
      for (const stage of onFailure) run.reports.set(stage.name, skippedReport(stage, true));
    return { outcome, rollback: "none" };
  }
  run.emit({ type: "rollback-started", at: run.clock.now() });
  const statuses = await runDag(onFailure, stageRunner(run, onFailure, true), run.cancel);
  for (const stage of onFailure)
    if (!run.reports.has(stage.name)) run.reports.set(stage.name, skippedReport(stage, true));
  const ok = onFailure.every((s) => statuses.get(s.name) === "succeeded");
  if (run.cancel.aborted) return { outcome: "cancelled", rollback: ok ? "succeeded" : "failed" };
  return {
    outcome: outcome === "failed" && ok ? "rolled_back" : outcome,
    rollback: ok ? "succeeded" : "failed",
  };
}

/** The reports in pipeline order: gate, stages, probe, onFailure. */
function stageReports(run: AttemptRun): StageReport[] {
  const { stages, onFailure } = run.pipeline;
  return [{ name: GATE_STAGE }, ...stages, { name: PROBE_STAGE }, ...onFailure].flatMap((s) => {
    const report = run.reports.get(s.name);
    return report === undefined ? [] : [report];
  });
}

/** Records `attempt.finished` and removes the scratch folder. */
async function finishAttempt(
  run: AttemptRun,
  served: Served,
  ended: { outcome: Outcome; rollback: PromoteResult["rollback"] },
  gate: GateResult | null,
): Promise<PromoteResult> {
  const { outcome } = ended;
  const now = run.clock.now();
  const endedAt =
    outcome === "succeeded" ? (served.servingAt ?? now) : Math.max(served.servingAt ?? now, now);
  const finishedAt = Math.max(served.servingAt ?? now, now);
  run.record({ type: "attempt.finished", at: endedAt, outcome });
  await rm(run.scratch, { recursive: true, force: true });
  const stages = stageReports(run);
  // The same rule the dashboard applies to the recorded attempt, up to the same end point.
  const timed = stages.flatMap((report) =>
    report.startedAt === null ? [] : [{ ...report, startedAt: report.startedAt }],
  );
  const path = criticalPath(timed, served.servingAt ?? endedAt, finishedAt);
  return {
    attemptId: run.request.attemptId,
    outcome,
    startedAt: run.startedAt,
    servingAt: served.servingAt,
    endedAt,
    stages,
    criticalPath: path.flatMap((index) => timed[index]?.name ?? []),
    probe: served.probe,
    rollback: ended.rollback,
    gate:
      gate === null
        ? null
        : gate.ok
          ? { ...gate.check, error: null }
          : { decision: null, reasons: [], where: null, error: gate.error },
  };
}

/** A promotion the gate stopped: nothing ran, so nothing is rolled back and no budget burns. */
function stoppedByGate(run: AttemptRun): Served {
  for (const stage of run.pipeline.stages) run.reports.set(stage.name, skippedReport(stage, false));
  for (const stage of run.pipeline.onFailure)
    run.reports.set(stage.name, skippedReport(stage, true));
  return { outcome: "cancelled", servingAt: null, probe: null };
}

/** Runs one promotion: see docs/pipelines.md for the outcomes and what runs when. */
export async function runPipeline(
  pipeline: Pipeline,
  request: PromoteRequest,
  deps: RunnerDeps,
  cancel: AbortSignal,
  startedAt: number = deps.clock.now(),
): Promise<PromoteResult> {
  const run = await startAttemptRun(pipeline, request, deps, cancel, startedAt);
  const gate = deps.gate === undefined ? null : await runGateStage(run);
  if (gate !== null && !(gate.ok && gate.check.decision === "allow")) {
    run.stopDeadline();
    const served = stoppedByGate(run);
    return finishAttempt(run, served, { outcome: "cancelled", rollback: "none" }, gate);
  }
  const served = await runMain(run);
  run.stopDeadline();
  const ended = await runRollback(run, served.outcome);
  return finishAttempt(run, served, ended, gate);
}
