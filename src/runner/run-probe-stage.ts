import type { AttributeValue } from "../core/attempt/attempt.js";
import { PROBE_STAGE_NAME } from "../core/pipeline/parse-pipeline-spec.js";
import type { AttemptRun } from "./attempt-run.js";
import { failureLogs } from "./log-tails.js";
import { type ProbeResult, type ResolvedProbe, waitForServing } from "./probe.js";
import type { NodeStatus } from "./run-dag.js";
import { shorten } from "./run-stage.js";
import type { PromoteResult, StageReport } from "./runner-types.js";

/** The span name of the first-inference probe. */
export const PROBE_STAGE = PROBE_STAGE_NAME;
export { INFERENCE_LATENCY } from "./attempt-run.js";

export interface ProbeOutcome {
  readonly outcome: NodeStatus;
  readonly servingAt: number | null;
  readonly probe: NonNullable<PromoteResult["probe"]>;
}

/** The serving probe with its templates expanded, or why they cannot be. */
function resolveProbe(run: AttemptRun): ResolvedProbe | { readonly error: string } {
  const serving = run.pipeline.serving;
  try {
    return {
      protocol: serving.protocol,
      url: run.expand(serving.url),
      model: serving.model === null ? null : run.expand(serving.model),
      request: serving.request,
      method: serving.method,
      field: serving.field,
      expect: run.expand(serving.expect),
      intervalMs: serving.intervalMs,
      timeoutMs: serving.timeoutMs,
    };
  } catch (thrown) {
    return { error: thrown instanceof Error ? thrown.message : String(thrown) };
  }
}

function probeStatus(run: AttemptRun, result: ProbeResult, resolved: boolean): NodeStatus {
  if (result.ok) return "succeeded";
  if (run.cancel.aborted) return "cancelled";
  return resolved ? "timed_out" : "failed";
}

function failureReason(run: AttemptRun, result: ProbeResult & { ok: false }): string {
  if (run.cancel.aborted) return "cancelled";
  if (run.deadline.aborted) return `attempt timeout (${run.pipeline.timeoutMs} ms)`;
  if (run.threshold.aborted)
    return `the SLO's threshold (${run.deps.thresholdMs ?? 0} ms) passed before serving: stopped to roll back (onThresholdExceeded: rollback)`;
  return result.reason;
}

/**
 * Sends the first-inference probe once every stage has succeeded, under the attempt's
 * timeout: its first good answer is servingAt.
 */
export async function runProbeStage(run: AttemptRun, stop: AbortSignal): Promise<ProbeOutcome> {
  const protocol = run.pipeline.serving.protocol;
  const startedAt = run.clock.now();
  run.record({
    type: "stage.started",
    at: startedAt,
    stage: PROBE_STAGE,
    kind: "active",
    attributes: { protocol },
  });
  run.emit({
    type: "stage-started",
    stage: PROBE_STAGE,
    kind: "active",
    at: startedAt,
    rollback: false,
  });
  const probe = resolveProbe(run);
  const resolved = !("error" in probe);
  const result: ProbeResult = resolved
    ? await waitForServing(probe, run.clock, stop, (problem, tries) =>
        run.emit({ type: "probe-try", tries, problem, at: run.clock.now() }),
      )
    : { ok: false, reason: probe.error, tries: 0, cancelled: false };
  const endedAt = result.ok ? result.servingAt : run.clock.now();
  const status = probeStatus(run, result, resolved);
  if (result.ok) run.markServing(result.servingAt, result.latencyMs);
  const error = result.ok ? null : failureReason(run, result);
  const attributes: Record<string, AttributeValue> = { protocol, tries: result.tries };
  if (result.ok) attributes.latencyMs = Math.round(result.latencyMs * 1000) / 1000;
  if (error !== null) attributes.error = shorten(error);
  run.record({
    type: "stage.finished",
    at: endedAt,
    stage: PROBE_STAGE,
    status,
    startedAt,
    kind: "active",
    attributes,
  });
  const log =
    status === "timed_out" || status === "failed"
      ? await failureLogs(
          PROBE_STAGE,
          undefined,
          run.pipeline.stages.map((s) => s.name),
          run.outputs,
          run.deps.baseDir,
        )
      : [];
  const report: StageReport = {
    name: PROBE_STAGE,
    kind: "active",
    status,
    startedAt,
    endedAt,
    tries: result.tries,
    error,
    attributes,
    rollback: false,
    log,
  };
  run.reports.set(PROBE_STAGE, report);
  run.emit({ type: "stage-finished", stage: report, at: endedAt });
  return {
    outcome: status,
    // A canary step may have served production traffic before the probe: the first one counts.
    servingAt: result.ok ? (run.servedAt() ?? result.servingAt) : null,
    probe: { tries: result.tries, latencyMs: result.ok ? result.latencyMs : null, error },
  };
}
