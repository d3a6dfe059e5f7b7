import { formatTimestamp } from "../../core/primitives/timestamp.js";
import { SERVING_EVENT } from "./attempt-trace.js";
import { CICD, CICD_RESULTS, DEPLOYSLO } from "./cicd-attributes.js";
import type { DecodedSpan, OtlpValue } from "./decode-otlp-traces.js";

/** What one span stands for: nothing, some lifecycle events, or a refusal naming the attribute. */
export type SpanEvents =
  | { readonly kind: "ignored" }
  | { readonly kind: "events"; readonly events: readonly Record<string, unknown>[] }
  | { readonly kind: "rejected"; readonly problems: readonly string[] };

type Scalar = string | number | boolean;
type Fields = Record<string, unknown>;

const STATUS_ERROR = 2;
const STAGE_STATUS: Readonly<Record<string, string>> = {
  success: "succeeded",
  failure: "failed",
  error: "failed",
  timeout: "timed_out",
  cancellation: "cancelled",
  skip: "skipped",
};
const RUN_OUTCOME: Readonly<Record<string, string>> = {
  ...STAGE_STATUS,
  // A skipped run never got to serve: as far as the SLO goes it was called off.
  skip: "cancelled",
};
const OUTCOMES = ["succeeded", "failed", "rolled_back", "timed_out", "cancelled"];
const KINDS = ["active", "wait"];

const ignored: SpanEvents = Object.freeze({ kind: "ignored" });

/** A span attribute, else the same attribute of its resource (where semconv puts cicd.pipeline.*). */
function lookup(span: DecodedSpan, key: string): OtlpValue | undefined {
  const own = span.attributes.get(key);
  return own === undefined || own === null ? (span.resource.get(key) ?? undefined) : own;
}

function isScalar(value: OtlpValue | undefined): value is Scalar {
  const t = typeof value;
  return t === "string" || t === "number" || t === "boolean";
}

class SpanProblems {
  readonly list: string[] = [];
  add(problem: string): void {
    this.list.push(problem);
  }
  /** A non-empty string attribute; a problem (naming it) when absent or of another type. */
  text(span: DecodedSpan, key: string, what: string, alternative?: string): string {
    const value =
      lookup(span, key) ?? (alternative === undefined ? undefined : lookup(span, alternative));
    if (typeof value === "string" && value.length > 0) return value;
    this.add(
      value === undefined
        ? `${key} is required on the span or its resource (${what})`
        : `${key} must be a non-empty string (${what}), got ${JSON.stringify(value)}`,
    );
    return "";
  }
  /** One of `allowed`, or undefined when absent. */
  oneOf(span: DecodedSpan, key: string, allowed: readonly string[]): string | undefined {
    const value = lookup(span, key);
    if (value === undefined) return undefined;
    if (typeof value === "string" && allowed.includes(value)) return value;
    this.add(`${key} must be one of ${allowed.join(", ")}, got ${JSON.stringify(value)}`);
    return undefined;
  }
}

function isTrue(value: OtlpValue | undefined): boolean {
  return value === true || value === "true";
}

/** The attempt a span belongs to: deployslo.attempt.id when set, else its trace. */
function attemptIdOf(span: DecodedSpan): string {
  const id = lookup(span, DEPLOYSLO.attemptId);
  return typeof id === "string" && id.length > 0 ? id : span.traceId;
}

function eventId(span: DecodedSpan, what: string): string {
  return `otlp:${span.traceId}:${span.spanId}:${what}`;
}

/** The scalar attributes among `keys` that the span carries (not its resource's). */
function scalarAttributes(span: DecodedSpan, keys: readonly string[]): Record<string, Scalar> {
  const out: Record<string, Scalar> = {};
  for (const key of keys) {
    const value = span.attributes.get(key);
    if (isScalar(value)) out[key] = value;
  }
  return out;
}

/** `deployslo.label.NAME` attributes of the resource, then of the span (which wins). */
function labelsOf(span: DecodedSpan, problems: SpanProblems): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const source of [span.resource, span.attributes]) {
    for (const [key, value] of source) {
      if (!key.startsWith(DEPLOYSLO.labelPrefix) || value === null) continue;
      const name = key.slice(DEPLOYSLO.labelPrefix.length);
      if (isScalar(value)) labels[name] = String(value);
      else problems.add(`${key} must be a string, number or boolean (a label value)`);
    }
  }
  return labels;
}

/** A result attribute read as a stage status; without one, the span's status says. */
function statusOf(
  span: DecodedSpan,
  key: string,
  map: Readonly<Record<string, string>>,
  problems: SpanProblems,
): string {
  const result = problems.oneOf(span, key, CICD_RESULTS);
  if (result !== undefined) return map[result] ?? "succeeded";
  return span.statusCode === STATUS_ERROR ? "failed" : "succeeded";
}

function runEvents(span: DecodedSpan, attemptId: string, problems: SpanProblems): Fields[] {
  const model = problems.text(span, DEPLOYSLO.model, "the model being promoted");
  const rawVersion = lookup(span, DEPLOYSLO.version);
  let version: unknown = "";
  if ((typeof rawVersion === "string" && rawVersion.length > 0) || Number.isInteger(rawVersion)) {
    version = rawVersion;
  } else {
    problems.add(
      rawVersion === undefined
        ? `${DEPLOYSLO.version} is required on the span or its resource (the version being promoted)`
        : `${DEPLOYSLO.version} must be a non-empty string or an integer, got ${JSON.stringify(rawVersion)}`,
    );
  }
  const environment = problems.text(
    span,
    CICD.environment,
    "the environment promoted to",
    CICD.environmentDeprecated,
  );
  const override = problems.oneOf(span, DEPLOYSLO.outcome, OUTCOMES);
  const outcome = override ?? statusOf(span, CICD.result, RUN_OUTCOME, problems);
  const labels = labelsOf(span, problems);
  const attributes: Record<string, Scalar> = { "deployslo.source": "otlp" };
  for (const key of [
    CICD.pipelineName,
    CICD.runId,
    CICD.runUrl,
    CICD.actionName,
    CICD.serviceName,
  ]) {
    const value = lookup(span, key);
    if (isScalar(value)) attributes[key] = value;
  }
  return [
    {
      id: eventId(span, "started"),
      type: "attempt.started",
      attemptId,
      at: formatTimestamp(span.startMs),
      model,
      version,
      environment,
      labels,
      attributes,
    },
    {
      id: eventId(span, "finished"),
      type: "attempt.finished",
      attemptId,
      at: formatTimestamp(span.endMs),
      outcome,
    },
  ];
}

function stageEvent(
  span: DecodedSpan,
  attemptId: string,
  name: string,
  status: string,
  problems: SpanProblems,
): Fields {
  const kind = problems.oneOf(span, DEPLOYSLO.stageKind, KINDS);
  return {
    id: eventId(span, "stage"),
    type: "stage.finished",
    attemptId,
    at: formatTimestamp(span.endMs),
    startedAt: formatTimestamp(span.startMs),
    stage: name,
    status,
    ...(kind === undefined ? {} : { kind }),
    attributes: scalarAttributes(span, [
      CICD.taskRunId,
      CICD.taskType,
      CICD.taskRunUrl,
      CICD.errorType,
    ]),
  };
}

/**
 * The deployslo events one span stands for (docs/opentelemetry.md, "From spans to an
 * attempt"): the pipeline-run span starts and finishes the attempt, a task span is a stage,
 * the probe span's successful end is the first inference, a span with deployslo.dependency is
 * a dependency sample. Event ids come from the trace and span ids, so a span delivered again
 * is a duplicate. Any other span is ignored.
 */
export function spanEvents(span: DecodedSpan): SpanEvents {
  const problems = new SpanProblems();
  const attemptId = attemptIdOf(span);
  const events = [
    ...stageEvents(span, attemptId, problems),
    ...dependencyEvents(span, attemptId, problems),
  ];
  if (events.length === 0 && isRunSpan(span)) events.push(...runEvents(span, attemptId, problems));
  for (const [i, event] of span.events.entries()) {
    if (event.name !== SERVING_EVENT) continue;
    events.push({
      id: eventId(span, `serving-event-${i}`),
      type: "attempt.serving",
      attemptId,
      at: formatTimestamp(event.atMs),
    });
  }
  if (problems.list.length > 0) return { kind: "rejected", problems: problems.list };
  return events.length === 0 ? ignored : { kind: "events", events };
}

/** A task span, or the probe's: a stage, and the first inference when the probe succeeded. */
function stageEvents(span: DecodedSpan, attemptId: string, problems: SpanProblems): Fields[] {
  const task = span.attributes.get(CICD.taskName);
  const probe = isTrue(span.attributes.get(DEPLOYSLO.probe));
  if (task === undefined && !probe) return [];
  let name = span.name;
  if (task !== undefined) {
    if (typeof task === "string" && task.length > 0) name = task;
    else problems.add(`${CICD.taskName} must be a non-empty string, got ${JSON.stringify(task)}`);
  }
  const status = statusOf(span, CICD.taskResult, STAGE_STATUS, problems);
  const events = [stageEvent(span, attemptId, name, status, problems)];
  if (probe && status === "succeeded") {
    events.push({
      id: eventId(span, "serving"),
      type: "attempt.serving",
      attemptId,
      at: formatTimestamp(span.endMs),
    });
  }
  return events;
}

function dependencyEvents(span: DecodedSpan, attemptId: string, problems: SpanProblems): Fields[] {
  const dependency = span.attributes.get(DEPLOYSLO.dependency);
  if (dependency === undefined) return [];
  if (typeof dependency !== "string" || dependency.length === 0) {
    problems.add(
      `${DEPLOYSLO.dependency} must be a non-empty string, got ${JSON.stringify(dependency)}`,
    );
    return [];
  }
  return [
    {
      id: eventId(span, "dependency"),
      type: "dependency.measured",
      attemptId,
      at: formatTimestamp(span.endMs),
      name: dependency,
      seconds: Math.max(0, span.endMs - span.startMs) / 1000,
      attributes: {},
    },
  ];
}

/**
 * The span of a pipeline run: one that carries cicd.pipeline.result (required there by the
 * conventions), or a root span that (or whose resource) names the pipeline run or the model.
 */
function isRunSpan(span: DecodedSpan): boolean {
  if (span.attributes.has(CICD.result)) return true;
  if (span.parentSpanId !== null) return false;
  return [CICD.runId, CICD.pipelineName, DEPLOYSLO.model].some(
    (key) => lookup(span, key) !== undefined,
  );
}
