import type { Clock } from "../clock/clock.js";
import type { AttemptEvent } from "../core/attempt/attempt-event.js";
import { type ProbeResult, type ResolvedProbe, waitForServing } from "./probe.js";
import type { Recorder } from "./recorder.js";
import { INFERENCE_LATENCY, PROBE_STAGE } from "./run-pipeline.js";

type NewEvent = Omit<AttemptEvent, "id" | "attemptId">;

/**
 * The first-inference probe of an attempt that runs elsewhere (`deployslo probe`): records its
 * span and, on success, `servingAt` and the inference-latency sample, as `promote` does.
 */
export async function probeAttempt(
  probe: ResolvedProbe,
  attemptId: string,
  deps: {
    clock: Clock;
    recorder: Recorder;
    newId: () => string;
    onTry?: (problem: string, tries: number) => void;
  },
  signal: AbortSignal,
): Promise<ProbeResult> {
  const record = (event: NewEvent) =>
    deps.recorder.record({ ...event, id: deps.newId(), attemptId } as AttemptEvent);
  const startedAt = deps.clock.now();
  record({
    type: "stage.started",
    at: startedAt,
    stage: PROBE_STAGE,
    kind: "active",
    attributes: { protocol: probe.protocol },
  } as NewEvent);
  const result = await waitForServing(probe, deps.clock, signal, deps.onTry);
  const endedAt = result.ok ? result.servingAt : deps.clock.now();
  if (result.ok) {
    record({ type: "attempt.serving", at: result.servingAt } as NewEvent);
    record({
      type: "dependency.measured",
      at: result.servingAt,
      name: INFERENCE_LATENCY,
      seconds: Math.round(result.latencyMs) / 1000,
      attributes: { protocol: probe.protocol, probe: true },
    } as NewEvent);
  }
  record({
    type: "stage.finished",
    at: endedAt,
    stage: PROBE_STAGE,
    status: result.ok ? "succeeded" : result.cancelled ? "cancelled" : "timed_out",
    startedAt,
    kind: "active",
    attributes: result.ok
      ? {
          protocol: probe.protocol,
          tries: result.tries,
          latencyMs: Math.round(result.latencyMs * 1000) / 1000,
        }
      : { protocol: probe.protocol, tries: result.tries, error: result.reason.slice(0, 500) },
  } as NewEvent);
  return result;
}
