import type { AttributeValue } from "../core/attempt/attempt.js";
import type { AttemptRun } from "./attempt-run.js";
import { shorten } from "./run-stage.js";
import type { GateCheck, StageReport } from "./runner-types.js";

/** The span name of the deployment gate's answer. */
export const GATE_STAGE = "gate";

/** What the gate said, or why it could not say. */
export type GateResult =
  | { readonly ok: true; readonly check: GateCheck }
  | { readonly ok: false; readonly error: string };

async function ask(run: AttemptRun): Promise<GateResult> {
  const gate = run.deps.gate;
  if (gate === undefined) throw new Error("runGateStage needs deps.gate");
  try {
    return { ok: true, check: await gate() };
  } catch (thrown) {
    return { ok: false, error: thrown instanceof Error ? thrown.message : String(thrown) };
  }
}

/**
 * Asks the deployment gate before any stage runs, recorded as the `gate` span. Anything but
 * `allow` (or an unanswered question: the gate fails closed) stops the promotion before it
 * changes anything.
 */
export async function runGateStage(run: AttemptRun): Promise<GateResult> {
  const startedAt = run.clock.now();
  run.record({
    type: "stage.started",
    at: startedAt,
    stage: GATE_STAGE,
    kind: "active",
    attributes: {},
  });
  run.emit({
    type: "stage-started",
    stage: GATE_STAGE,
    kind: "active",
    at: startedAt,
    rollback: false,
  });
  const result = await ask(run);
  const endedAt = run.clock.now();
  const allowed = result.ok && result.check.decision === "allow";
  const attributes: Record<string, AttributeValue> = result.ok
    ? {
        decision: result.check.decision,
        decidedBy: result.check.where,
        reasons: shorten(result.check.reasons.join("; ")),
        ...(result.check.estimate == null ? {} : { estimate: shorten(result.check.estimate) }),
      }
    : { error: shorten(result.error) };
  const error = allowed
    ? null
    : result.ok
      ? `the gate answered ${result.check.decision}: ${result.check.reasons.join("; ")}`
      : `the gate could not be asked: ${result.error}`;
  const status = allowed ? "succeeded" : "failed";
  run.record({
    type: "stage.finished",
    at: endedAt,
    stage: GATE_STAGE,
    status,
    startedAt,
    kind: "active",
    attributes,
  });
  const report: StageReport = {
    name: GATE_STAGE,
    kind: "active",
    status,
    startedAt,
    endedAt,
    tries: 1,
    error,
    attributes,
    rollback: false,
    log: [],
  };
  run.reports.set(GATE_STAGE, report);
  run.emit({ type: "stage-finished", stage: report, at: endedAt });
  return result;
}
