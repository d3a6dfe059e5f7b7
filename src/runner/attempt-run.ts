import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Clock } from "../clock/clock.js";
import type { Pipeline } from "../core/pipeline/pipeline.js";
import { expandTemplate, type Template, type TemplateValues } from "../core/primitives/template.js";
import type {
  NewEvent,
  PromoteRequest,
  RunnerDeps,
  RunnerEvent,
  StageReport,
} from "./runner-types.js";
import { outputVariable } from "./stage-output.js";

/** The dependency sample the first good answer's latency is recorded as. */
export const INFERENCE_LATENCY = "inference_latency";

/** One promotion being run: what every step of runPipeline reads and adds to. */
export interface AttemptRun {
  readonly pipeline: Pipeline;
  readonly request: PromoteRequest;
  readonly deps: RunnerDeps;
  readonly clock: Clock;
  readonly startedAt: number;
  /** The user's cancel (a signal to the CLI). */
  readonly cancel: AbortSignal;
  /** Aborts when the pipeline's timeout passes. */
  readonly deadline: AbortSignal;
  /** A folder removed when the attempt ends. */
  readonly scratch: string;
  /** What each stage wrote to $DEPLOYSLO_OUTPUT, by stage. */
  readonly outputs: Map<string, Readonly<Record<string, string>>>;
  readonly reports: Map<string, StageReport>;
  readonly emit: (event: RunnerEvent) => void;
  readonly record: (event: NewEvent) => void;
  readonly expand: (template: Template) => string;
  /** The environment of a `run` command now: later stages see the outputs of earlier ones. */
  readonly commandEnv: () => Record<string, string>;
  /** Stops the attempt's timeout. */
  readonly stopDeadline: () => void;
  /**
   * Records the new version's first good production answer (servingAt) and its latency; later
   * calls are ignored, so a canary's first step and the serving probe never record it twice.
   */
  readonly markServing: (at: number, latencyMs: number) => void;
  /** When markServing was first called, or null. */
  readonly servedAt: () => number | null;
  /** Aborts when the SLO's threshold passes before serving, for onThresholdExceeded: rollback. */
  readonly threshold: AbortSignal;
}

/** The template values and the pipeline's env, expanded once against the runner's env. */
function templates(pipeline: Pipeline, request: PromoteRequest, deps: RunnerDeps) {
  const attempt = {
    MODEL: request.model,
    VERSION: request.version,
    ENVIRONMENT: request.environment,
    ATTEMPT_ID: request.attemptId,
  };
  const runnerEnv = (name: string) => deps.env[name];
  const baseValues: TemplateValues = { attempt, env: runnerEnv, output: () => undefined };
  const pipelineEnv: Record<string, string> = {};
  for (const [name, template] of Object.entries(pipeline.env)) {
    const expanded = expandTemplate(template, baseValues);
    pipelineEnv[name] = expanded.ok ? expanded.text : "";
  }
  return { attempt, pipelineEnv, runnerEnv };
}

/** Sets up the run and records `attempt.started`; the attempt's timeout starts counting. */
export async function startAttemptRun(
  pipeline: Pipeline,
  request: PromoteRequest,
  deps: RunnerDeps,
  cancel: AbortSignal,
  startedAt: number,
): Promise<AttemptRun> {
  const { attempt, pipelineEnv, runnerEnv } = templates(pipeline, request, deps);
  const outputs = new Map<string, Readonly<Record<string, string>>>();
  const values: TemplateValues = {
    attempt,
    env: (name) => pipelineEnv[name] ?? runnerEnv(name),
    output: (stage, key) => outputs.get(stage)?.[key],
  };
  const scratch = await mkdtemp(join(tmpdir(), "deployslo-run-"));
  const deadline = new AbortController();
  const deadlineTimer = setTimeout(
    () => deadline.abort("attempt timeout"),
    Math.max(0, startedAt + pipeline.timeoutMs - deps.clock.now()),
  );
  const threshold = new AbortController();
  const thresholdMs = deps.thresholdMs ?? null;
  const thresholdTimer =
    pipeline.onThresholdExceeded === "rollback" && thresholdMs !== null
      ? setTimeout(
          () => threshold.abort("slo threshold"),
          Math.max(0, startedAt + thresholdMs - deps.clock.now()),
        )
      : undefined;
  let servedAt: number | null = null;
  const run: AttemptRun = {
    pipeline,
    request,
    deps,
    clock: deps.clock,
    startedAt,
    cancel,
    deadline: deadline.signal,
    scratch,
    outputs,
    reports: new Map(),
    emit: (event) => deps.onEvent?.(event),
    record: (event) =>
      deps.recorder.record({ ...event, id: deps.newId(), attemptId: request.attemptId }),
    expand: (template) => {
      const result = expandTemplate(template, values);
      if (!result.ok) throw new Error(result.reason);
      return result.text;
    },
    commandEnv: () => {
      const env: Record<string, string> = {};
      for (const [k, v] of Object.entries(deps.env)) if (v !== undefined) env[k] = v;
      Object.assign(env, pipelineEnv, attempt);
      for (const [name, kv] of outputs)
        for (const [key, value] of Object.entries(kv)) env[outputVariable(name, key)] = value;
      return env;
    },
    stopDeadline: () => {
      clearTimeout(deadlineTimer);
      clearTimeout(thresholdTimer);
    },
    threshold: threshold.signal,
    servedAt: () => servedAt,
    markServing: (at, latencyMs) => {
      if (servedAt !== null) return;
      servedAt = at;
      // Serving in time: the threshold can no longer pass before it.
      clearTimeout(thresholdTimer);
      run.record({ type: "attempt.serving", at });
      run.record({
        type: "dependency.measured",
        at,
        name: INFERENCE_LATENCY,
        seconds: Math.round(latencyMs) / 1000,
        attributes: { protocol: pipeline.serving.protocol, probe: true },
      });
    },
  };
  run.record({
    type: "attempt.started",
    at: startedAt,
    model: request.model,
    version: request.version,
    environment: request.environment,
    labels: request.labels ?? {},
    attributes: { pipeline: pipeline.name, runner: "deployslo promote" },
  });
  return run;
}
