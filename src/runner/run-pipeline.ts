import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import type { Clock } from "../clock/clock.js";
import type { Attributes, AttributeValue, Outcome, StageKind } from "../core/attempt/attempt.js";
import type { AttemptEvent } from "../core/attempt/attempt-event.js";
import { criticalPath } from "../core/attempt/critical-path.js";
import { PROBE_STAGE_NAME } from "../core/pipeline/parse-pipeline-spec.js";
import type { Pipeline, PipelineStage } from "../core/pipeline/pipeline.js";
import { expandTemplate, type Template, type TemplateValues } from "../core/primitives/template.js";
import { anySignal } from "./any-signal.js";
import { publishedSha256, sha256OfFile, sha256OfUrl } from "./checksum.js";
import { answerProblem, httpRequest } from "./http-check.js";
import { type ResolvedProbe, waitForServing } from "./probe.js";
import type { Recorder } from "./recorder.js";
import { runCommand } from "./run-command.js";
import { type DagStatus, type NodeStatus, runDag } from "./run-dag.js";
import { outputVariable, parseStageOutput } from "./stage-output.js";

/** The span name of the first-inference probe. */
export const PROBE_STAGE = PROBE_STAGE_NAME;
/** The dependency sample the probe's first good answer is recorded as. */
export const INFERENCE_LATENCY = "inference_latency";

export interface PromoteRequest {
  readonly attemptId: string;
  readonly model: string;
  readonly version: string;
  readonly environment: string;
  readonly labels?: Readonly<Record<string, string>>;
}

/** What the runner tells whoever shows progress. Times are epoch ms. */
export type RunnerEvent =
  | {
      readonly type: "stage-started";
      readonly stage: string;
      readonly kind: StageKind;
      readonly at: number;
      readonly rollback: boolean;
    }
  | {
      readonly type: "stage-retry";
      readonly stage: string;
      readonly try: number;
      readonly error: string;
      readonly at: number;
    }
  | { readonly type: "stage-finished"; readonly stage: StageReport; readonly at: number }
  | { readonly type: "stage-log"; readonly stage: string; readonly line: string }
  | {
      readonly type: "probe-try";
      readonly tries: number;
      readonly problem: string;
      readonly at: number;
    }
  | { readonly type: "rollback-started"; readonly at: number };

export interface StageReport {
  readonly name: string;
  readonly kind: StageKind;
  readonly status: DagStatus;
  readonly startedAt: number | null;
  readonly endedAt: number | null;
  readonly tries: number;
  readonly error: string | null;
  readonly attributes: Attributes;
  /** An onFailure stage. */
  readonly rollback: boolean;
}

export interface PromoteResult {
  readonly attemptId: string;
  readonly outcome: Exclude<Outcome, "in_progress">;
  readonly startedAt: number;
  readonly servingAt: number | null;
  readonly endedAt: number;
  readonly stages: readonly StageReport[];
  /** Stage names whose chain set when the new version served (or the attempt ended). */
  readonly criticalPath: readonly string[];
  readonly probe: {
    readonly tries: number;
    readonly latencyMs: number | null;
    readonly error: string | null;
  } | null;
  /** Whether onFailure ran, and how it went. */
  readonly rollback: "none" | "succeeded" | "failed";
}

export interface RunnerDeps {
  readonly clock: Clock;
  readonly recorder: Recorder;
  /** `run` commands start here, and relative checksum files resolve against it. */
  readonly baseDir: string;
  /** The runner's own environment, passed on to `run` commands and read by ${env.NAME}. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly newId: () => string;
  readonly onEvent?: (event: RunnerEvent) => void;
}

interface ActionResult {
  readonly ok: boolean;
  readonly error?: string;
  readonly attributes?: Record<string, AttributeValue>;
}

const MAX_ERROR = 500;

function shorten(text: string): string {
  return text.length > MAX_ERROR ? `${text.slice(0, MAX_ERROR - 1)}…` : text;
}

/** Runs one promotion: see docs/pipelines.md for the outcomes and what runs when. */
export async function runPipeline(
  pipeline: Pipeline,
  request: PromoteRequest,
  deps: RunnerDeps,
  cancel: AbortSignal,
  startedAt: number = deps.clock.now(),
): Promise<PromoteResult> {
  const { clock, recorder } = deps;
  const emit = (event: RunnerEvent) => deps.onEvent?.(event);
  const record = (event: Omit<AttemptEvent, "id" | "attemptId">) =>
    recorder.record({ ...event, id: deps.newId(), attemptId: request.attemptId } as AttemptEvent);
  const attempt = {
    MODEL: request.model,
    VERSION: request.version,
    ENVIRONMENT: request.environment,
    ATTEMPT_ID: request.attemptId,
  };
  const outputs = new Map<string, Record<string, string>>();
  const runnerEnv = (name: string) => deps.env[name];
  const baseValues: TemplateValues = { attempt, env: runnerEnv, output: () => undefined };
  const pipelineEnv: Record<string, string> = {};
  for (const [name, template] of Object.entries(pipeline.env)) {
    const expanded = expandTemplate(template, baseValues);
    pipelineEnv[name] = expanded.ok ? expanded.text : "";
  }
  const values: TemplateValues = {
    attempt,
    env: (name) => pipelineEnv[name] ?? runnerEnv(name),
    output: (stage, key) => outputs.get(stage)?.[key],
  };
  const expand = (template: Template): string => {
    const result = expandTemplate(template, values);
    if (!result.ok) throw new Error(result.reason);
    return result.text;
  };
  const scratch = await mkdtemp(join(tmpdir(), "deployslo-run-"));

  record({
    type: "attempt.started",
    at: startedAt,
    model: request.model,
    version: request.version,
    environment: request.environment,
    labels: request.labels ?? {},
    attributes: { pipeline: pipeline.name, runner: "deployslo promote" },
  } as Omit<AttemptEvent, "id" | "attemptId">);

  const deadline = new AbortController();
  const deadlineTimer = setTimeout(
    () => deadline.abort("attempt timeout"),
    Math.max(0, startedAt + pipeline.timeoutMs - clock.now()),
  );
  const reports = new Map<string, StageReport>();

  async function runAction(
    stage: PipelineStage,
    signal: AbortSignal,
    tryNumber: number,
  ): Promise<ActionResult> {
    const action = stage.action;
    if (action.type === "run") {
      const outputFile = join(scratch, `${stage.name}.${tryNumber}.out`);
      await writeFile(outputFile, "");
      const env: Record<string, string> = {};
      for (const [k, v] of Object.entries(deps.env)) if (v !== undefined) env[k] = v;
      Object.assign(env, pipelineEnv, attempt, {
        DEPLOYSLO_STAGE: stage.name,
        DEPLOYSLO_TRY: String(tryNumber),
        DEPLOYSLO_OUTPUT: outputFile,
      });
      for (const [name, kv] of outputs)
        for (const [key, value] of Object.entries(kv)) env[outputVariable(name, key)] = value;
      const result = await runCommand(action.command, {
        cwd: deps.baseDir,
        env,
        signal,
        onLine: (line) => emit({ type: "stage-log", stage: stage.name, line }),
      });
      const written = parseStageOutput(await readFile(outputFile, "utf8").catch(() => ""));
      outputs.set(stage.name, written.values);
      const attributes: Record<string, AttributeValue> = { ...written.attributes };
      if (result.exitCode !== null) attributes.exitCode = result.exitCode;
      if (result.exitCode === 0) return { ok: true, attributes };
      const why =
        result.exitCode === null ? `killed by ${result.signal}` : `exit code ${result.exitCode}`;
      const last = result.tail.filter((l) => l.trim() !== "").at(-1);
      return { ok: false, error: last === undefined ? why : `${why}: ${last}`, attributes };
    }
    if (action.type === "http") {
      const url = expand(action.url);
      const json =
        action.json === null
          ? null
          : { field: action.json.field, equals: expand(action.json.equals) };
      let problem = "no try";
      let tries = 0;
      while (!signal.aborted) {
        const began = clock.now();
        tries++;
        const answer = await httpRequest({ url, method: action.method, body: action.body }, signal);
        const found = answerProblem(answer, action.status, json);
        if (found === undefined) return { ok: true, attributes: { url, requests: tries } };
        if (!signal.aborted) problem = found;
        await clock.sleep(Math.max(0, action.intervalMs - (clock.now() - began)), signal);
      }
      return { ok: false, error: `${url}: ${problem}`, attributes: { url, requests: tries } };
    }
    let actual: string;
    let source: string;
    if (action.file !== null) {
      const file = expand(action.file);
      source = isAbsolute(file) ? file : resolve(deps.baseDir, file);
      actual = await sha256OfFile(source, signal);
    } else {
      source = expand(action.url as Template);
      actual = await sha256OfUrl(source, signal);
    }
    const expected =
      action.sha256 !== null
        ? expand(action.sha256).toLowerCase()
        : await publishedSha256(
            resolve(deps.baseDir, expand(action.sha256File as Template)),
            source,
          );
    if (actual === expected) return { ok: true, attributes: { sha256: actual } };
    return {
      ok: false,
      error: `sha256 of ${source} is ${actual}, expected ${expected}`,
      attributes: { sha256: actual },
    };
  }

  function runStage(rollback: boolean, stop: AbortSignal) {
    return async (stage: PipelineStage, signal: AbortSignal): Promise<NodeStatus> => {
      const stageStart = clock.now();
      record({
        type: "stage.started",
        at: stageStart,
        stage: stage.name,
        kind: stage.kind,
        attributes: {},
      } as Omit<AttemptEvent, "id" | "attemptId">);
      emit({
        type: "stage-started",
        stage: stage.name,
        kind: stage.kind,
        at: stageStart,
        rollback,
      });
      let status: NodeStatus = "failed";
      let error: string | null = null;
      let attributes: Record<string, AttributeValue> = {};
      let tries = 0;
      for (;;) {
        tries++;
        const timeout = new AbortController();
        const timer = setTimeout(() => timeout.abort("stage timeout"), stage.timeoutMs);
        let result: ActionResult;
        try {
          result = await runAction(stage, anySignal([signal, timeout.signal]), tries);
        } catch (thrown) {
          result = { ok: false, error: thrown instanceof Error ? thrown.message : String(thrown) };
        } finally {
          clearTimeout(timer);
        }
        attributes = { ...(result.attributes ?? {}) };
        if (result.ok) {
          status = "succeeded";
          error = null;
          break;
        }
        error = result.error ?? "failed";
        if (signal.aborted) {
          status = stop.aborted ? "cancelled" : deadline.signal.aborted ? "timed_out" : "cancelled";
          error = stop.aborted
            ? "cancelled"
            : deadline.signal.aborted
              ? `attempt timeout (${pipeline.timeoutMs} ms)`
              : "stopped: another stage failed";
          break;
        }
        if (timeout.signal.aborted)
          error = `timed out after ${stage.timeoutMs} ms${error === "failed" ? "" : `: ${error}`}`;
        if (tries > stage.retries) {
          status = timeout.signal.aborted ? "timed_out" : "failed";
          break;
        }
        emit({ type: "stage-retry", stage: stage.name, try: tries + 1, error, at: clock.now() });
        await clock.sleep(stage.retryDelayMs, signal);
        if (signal.aborted) {
          status = stop.aborted ? "cancelled" : deadline.signal.aborted ? "timed_out" : "cancelled";
          break;
        }
      }
      const endedAt = clock.now();
      const spanAttributes: Record<string, AttributeValue> = { ...attributes, tries };
      if (error !== null) spanAttributes.error = shorten(error);
      if (rollback) spanAttributes.rollback = true;
      record({
        type: "stage.finished",
        at: endedAt,
        stage: stage.name,
        status,
        startedAt: stageStart,
        kind: stage.kind,
        attributes: spanAttributes,
      } as Omit<AttemptEvent, "id" | "attemptId">);
      const report: StageReport = {
        name: stage.name,
        kind: stage.kind,
        status,
        startedAt: stageStart,
        endedAt,
        tries,
        error,
        attributes: spanAttributes,
        rollback,
      };
      reports.set(stage.name, report);
      emit({ type: "stage-finished", stage: report, at: endedAt });
      return status;
    };
  }

  const skippedReport = (stage: PipelineStage, rollback: boolean): StageReport => ({
    name: stage.name,
    kind: stage.kind,
    status: "skipped",
    startedAt: null,
    endedAt: null,
    tries: 0,
    error: null,
    attributes: {},
    rollback,
  });

  const mainSignal = anySignal([cancel, deadline.signal]);
  const statuses = await runDag(pipeline.stages, runStage(false, cancel), mainSignal);
  for (const stage of pipeline.stages)
    if (!reports.has(stage.name)) reports.set(stage.name, skippedReport(stage, false));

  let outcome: PromoteResult["outcome"];
  let servingAt: number | null = null;
  let probeSummary: PromoteResult["probe"] = null;
  const allSucceeded = pipeline.stages.every((s) => statuses.get(s.name) === "succeeded");
  if (cancel.aborted) outcome = "cancelled";
  else if (!allSucceeded) outcome = deadline.signal.aborted ? "timed_out" : "failed";
  else {
    const serving = pipeline.serving;
    const probeStart = clock.now();
    record({
      type: "stage.started",
      at: probeStart,
      stage: PROBE_STAGE,
      kind: "active",
      attributes: { protocol: serving.protocol },
    } as Omit<AttemptEvent, "id" | "attemptId">);
    emit({
      type: "stage-started",
      stage: PROBE_STAGE,
      kind: "active",
      at: probeStart,
      rollback: false,
    });
    let probe: ResolvedProbe | undefined;
    let failure: string | null = null;
    try {
      probe = {
        protocol: serving.protocol,
        url: expand(serving.url),
        model: serving.model === null ? null : expand(serving.model),
        request: serving.request,
        method: serving.method,
        field: serving.field,
        expect: expand(serving.expect),
        intervalMs: serving.intervalMs,
        timeoutMs: serving.timeoutMs,
      };
    } catch (thrown) {
      failure = thrown instanceof Error ? thrown.message : String(thrown);
    }
    const result =
      probe === undefined
        ? { ok: false as const, reason: failure ?? "", tries: 0, cancelled: false }
        : await waitForServing(probe, clock, mainSignal, (problem, tries) =>
            emit({ type: "probe-try", tries, problem, at: clock.now() }),
          );
    const probeEnd = result.ok ? result.servingAt : clock.now();
    let probeStatus: NodeStatus;
    if (result.ok) {
      servingAt = result.servingAt;
      outcome = "succeeded";
      probeStatus = "succeeded";
      record({ type: "attempt.serving", at: servingAt } as Omit<AttemptEvent, "id" | "attemptId">);
      record({
        type: "dependency.measured",
        at: servingAt,
        name: INFERENCE_LATENCY,
        seconds: Math.round(result.latencyMs) / 1000,
        attributes: { protocol: serving.protocol, probe: true },
      } as Omit<AttemptEvent, "id" | "attemptId">);
      probeSummary = { tries: result.tries, latencyMs: result.latencyMs, error: null };
    } else {
      outcome = cancel.aborted ? "cancelled" : probe === undefined ? "failed" : "timed_out";
      probeStatus = cancel.aborted ? "cancelled" : probe === undefined ? "failed" : "timed_out";
      const reason = cancel.aborted
        ? "cancelled"
        : deadline.signal.aborted
          ? `attempt timeout (${pipeline.timeoutMs} ms)`
          : result.reason;
      probeSummary = { tries: result.tries, latencyMs: null, error: reason };
    }
    const attributes: Record<string, AttributeValue> = {
      protocol: serving.protocol,
      tries: result.tries,
    };
    if (result.ok) attributes.latencyMs = Math.round(result.latencyMs * 1000) / 1000;
    if (probeSummary.error !== null) attributes.error = shorten(probeSummary.error);
    record({
      type: "stage.finished",
      at: probeEnd,
      stage: PROBE_STAGE,
      status: probeStatus,
      startedAt: probeStart,
      kind: "active",
      attributes,
    } as Omit<AttemptEvent, "id" | "attemptId">);
    const report: StageReport = {
      name: PROBE_STAGE,
      kind: "active",
      status: probeStatus,
      startedAt: probeStart,
      endedAt: probeEnd,
      tries: result.tries,
      error: probeSummary.error,
      attributes,
      rollback: false,
    };
    reports.set(PROBE_STAGE, report);
    emit({ type: "stage-finished", stage: report, at: probeEnd });
  }
  clearTimeout(deadlineTimer);

  let rollback: PromoteResult["rollback"] = "none";
  if (outcome !== "succeeded" && outcome !== "cancelled" && pipeline.onFailure.length > 0) {
    emit({ type: "rollback-started", at: clock.now() });
    const rollbackStatuses = await runDag(pipeline.onFailure, runStage(true, cancel), cancel);
    for (const stage of pipeline.onFailure)
      if (!reports.has(stage.name)) reports.set(stage.name, skippedReport(stage, true));
    const ok = pipeline.onFailure.every((s) => rollbackStatuses.get(s.name) === "succeeded");
    rollback = ok ? "succeeded" : "failed";
    if (cancel.aborted) outcome = "cancelled";
    else if (outcome === "failed" && ok) outcome = "rolled_back";
  }
  // Say so when onFailure did not run because the attempt was cancelled.
  if (rollback === "none" && outcome === "cancelled")
    for (const stage of pipeline.onFailure) reports.set(stage.name, skippedReport(stage, true));
  const endedAt = servingAt ?? clock.now();
  const finishedAt = Math.max(endedAt, clock.now());
  record({
    type: "attempt.finished",
    at: outcome === "succeeded" ? endedAt : finishedAt,
    outcome,
  } as Omit<AttemptEvent, "id" | "attemptId">);
  await rm(scratch, { recursive: true, force: true });

  const ranStages = [
    ...pipeline.stages,
    ...(reports.has(PROBE_STAGE) ? [{ name: PROBE_STAGE }] : []),
    ...pipeline.onFailure,
  ].flatMap((s) => {
    const report = reports.get(s.name);
    return report === undefined ? [] : [report];
  });
  // The same rule the dashboard applies to the recorded attempt, up to the same end point.
  const timed = ranStages.flatMap((report) =>
    report.startedAt === null ? [] : [{ ...report, startedAt: report.startedAt }],
  );
  const attemptEnd = outcome === "succeeded" ? endedAt : finishedAt;
  const path = criticalPath(timed, servingAt ?? attemptEnd, finishedAt);
  return {
    attemptId: request.attemptId,
    outcome,
    startedAt,
    servingAt,
    endedAt: attemptEnd,
    stages: ranStages,
    criticalPath: path.flatMap((index) => timed[index]?.name ?? []),
    probe: probeSummary,
    rollback,
  };
}
