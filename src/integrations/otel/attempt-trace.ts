import { createHash } from "node:crypto";
import type {
  Attempt,
  AttributeValue,
  Outcome,
  Stage,
  StageStatus,
} from "../../core/attempt/attempt.js";
import { CICD, DEPLOYSLO } from "./cicd-attributes.js";

/** OTLP/JSON KeyValue. */
export interface OtlpKeyValue {
  readonly key: string;
  readonly value:
    | { readonly stringValue: string }
    | { readonly intValue: string }
    | { readonly doubleValue: number }
    | { readonly boolValue: boolean };
}

export interface OtlpSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  readonly kind: number;
  readonly startTimeUnixNano: string;
  readonly endTimeUnixNano: string;
  readonly attributes: readonly OtlpKeyValue[];
  readonly events?: readonly {
    readonly timeUnixNano: string;
    readonly name: string;
    readonly attributes: readonly OtlpKeyValue[];
  }[];
  readonly status: { readonly code: number; readonly message?: string };
}

/** An ExportTraceServiceRequest in OTLP's JSON encoding. */
export interface OtlpTraceRequest {
  readonly resourceSpans: readonly {
    readonly resource: { readonly attributes: readonly OtlpKeyValue[] };
    readonly scopeSpans: readonly {
      readonly scope: { readonly name: string; readonly version: string };
      readonly spans: readonly OtlpSpan[];
    }[];
  }[];
}

export interface TraceOptions {
  /** The resource's service.name. */
  readonly serviceName: string;
  /** deployslo's version, as the instrumentation scope's. */
  readonly version: string;
}

const SPAN_KIND_INTERNAL = 1;
const SPAN_KIND_SERVER = 2;
const STATUS_UNSET = 0;
const STATUS_ERROR = 2;
/** The span event on the pipeline-run span that marks the first successful inference. */
export const SERVING_EVENT = "deployslo.serving";

const PIPELINE_RESULT: Readonly<Record<Exclude<Outcome, "in_progress">, string>> = {
  succeeded: "success",
  failed: "failure",
  rolled_back: "failure",
  timed_out: "timeout",
  cancelled: "cancellation",
};
const TASK_RESULT: Readonly<Record<Exclude<StageStatus, "in_progress">, string>> = {
  succeeded: "success",
  failed: "failure",
  timed_out: "timeout",
  cancelled: "cancellation",
  skipped: "skip",
};

function digestHex(text: string, bytes: number): string {
  const hex = createHash("sha256")
    .update(text)
    .digest("hex")
    .slice(0, bytes * 2);
  // An all-zero id is invalid in OTLP; a hash that starts with 8 zero bytes will not occur in
  // practice, but the id must be valid whatever it is.
  return /^0+$/.test(hex) ? `${hex.slice(0, -1)}1` : hex;
}

/** The trace id of an attempt's trace: the first 16 bytes of SHA-256 of its id, in hex. */
export function attemptTraceId(attemptId: string): string {
  return digestHex(`deployslo attempt ${attemptId}`, 16);
}

function spanId(attemptId: string, part: string): string {
  return digestHex(`deployslo attempt ${attemptId} span ${part}`, 8);
}

function nanos(ms: number): string {
  return (BigInt(ms) * 1_000_000n).toString();
}

function keyValue(key: string, value: AttributeValue): OtlpKeyValue {
  if (typeof value === "string") return { key, value: { stringValue: value } };
  if (typeof value === "boolean") return { key, value: { boolValue: value } };
  return Number.isSafeInteger(value)
    ? { key, value: { intValue: String(value) } }
    : { key, value: { doubleValue: value } };
}

function keyValues(entries: Readonly<Record<string, AttributeValue>>): OtlpKeyValue[] {
  return Object.entries(entries).map(([key, value]) => keyValue(key, value));
}

/** The instant the attempt's trace ends: its end, else its first inference (a success). */
function endOf(attempt: Attempt): number {
  return attempt.endedAt ?? attempt.servingAt ?? attempt.startedAt;
}

function pipelineName(attempt: Attempt): string {
  const named = attempt.attributes[CICD.pipelineName];
  return typeof named === "string" && named.length > 0 ? named : `promote ${attempt.model}`;
}

function runSpan(attempt: Attempt, traceId: string): OtlpSpan {
  const pipeline = pipelineName(attempt);
  const finished = attempt.outcome === "in_progress" ? undefined : attempt.outcome;
  const result = finished === undefined ? undefined : PIPELINE_RESULT[finished];
  const attributes: Record<string, AttributeValue> = {
    [CICD.pipelineName]: pipeline,
    [CICD.runId]: attempt.id,
    [CICD.actionName]: "RUN",
    ...(result === undefined ? {} : { [CICD.result]: result }),
    ...(result === "success" || finished === undefined ? {} : { [CICD.errorType]: finished }),
    [CICD.environment]: attempt.environment,
    [DEPLOYSLO.model]: attempt.model,
    [DEPLOYSLO.version]: attempt.version,
    [DEPLOYSLO.outcome]: attempt.outcome,
    ...(attempt.servingAt === null
      ? {}
      : { "deployslo.serving.seconds": (attempt.servingAt - attempt.startedAt) / 1000 }),
  };
  for (const [name, value] of Object.entries(attempt.labels)) {
    attributes[`${DEPLOYSLO.labelPrefix}${name}`] = value;
  }
  return {
    traceId,
    spanId: spanId(attempt.id, "run"),
    name: `RUN ${pipeline}`,
    kind: SPAN_KIND_SERVER,
    startTimeUnixNano: nanos(attempt.startedAt),
    endTimeUnixNano: nanos(Math.max(attempt.startedAt, endOf(attempt))),
    attributes: keyValues(attributes),
    ...(attempt.servingAt === null
      ? {}
      : {
          events: [{ timeUnixNano: nanos(attempt.servingAt), name: SERVING_EVENT, attributes: [] }],
        }),
    status:
      result === undefined || result === "success"
        ? { code: STATUS_UNSET }
        : { code: STATUS_ERROR, message: `the attempt ended ${attempt.outcome}` },
  };
}

function stageSpan(
  attempt: Attempt,
  traceId: string,
  parent: string,
  stage: Stage,
  i: number,
): OtlpSpan {
  const result = stage.status === "in_progress" ? undefined : TASK_RESULT[stage.status];
  const attributes: Record<string, AttributeValue> = {
    [CICD.taskName]: stage.name,
    [CICD.taskRunId]: `${attempt.id}/${i}`,
    ...(result === undefined ? {} : { [CICD.taskResult]: result }),
    [DEPLOYSLO.stageKind]: stage.kind,
  };
  for (const [key, value] of Object.entries(stage.attributes)) {
    attributes[`deployslo.stage.attribute.${key}`] = value;
  }
  const failed = result !== undefined && result !== "success" && result !== "skip";
  return {
    traceId,
    spanId: spanId(attempt.id, `stage ${i}`),
    parentSpanId: parent,
    name: stage.name,
    kind: SPAN_KIND_INTERNAL,
    startTimeUnixNano: nanos(stage.startedAt),
    endTimeUnixNano: nanos(Math.max(stage.startedAt, stage.endedAt ?? endOf(attempt))),
    attributes: keyValues(attributes),
    status: failed
      ? { code: STATUS_ERROR, message: `the stage ended ${stage.status}` }
      : { code: STATUS_UNSET },
  };
}

function dependencySpans(attempt: Attempt, traceId: string, parent: string): OtlpSpan[] {
  const spans: OtlpSpan[] = [];
  for (const [i, sample] of attempt.dependencies.entries()) {
    // A sample without `at` has no place on a timeline.
    if (sample.at === null) continue;
    spans.push({
      traceId,
      spanId: spanId(attempt.id, `dependency ${i}`),
      parentSpanId: parent,
      name: sample.name,
      kind: SPAN_KIND_INTERNAL,
      startTimeUnixNano: nanos(sample.at - Math.round(sample.seconds * 1000)),
      endTimeUnixNano: nanos(sample.at),
      attributes: keyValues({ [DEPLOYSLO.dependency]: sample.name }),
      status: { code: STATUS_UNSET },
    });
  }
  return spans;
}

/** The spans of one attempt's trace: the pipeline run, its stages, its dependency samples. */
export function attemptSpans(attempt: Attempt): OtlpSpan[] {
  const traceId = attemptTraceId(attempt.id);
  const run = runSpan(attempt, traceId);
  return [
    run,
    ...attempt.stages.map((stage, i) => stageSpan(attempt, traceId, run.spanId, stage, i)),
    ...dependencySpans(attempt, traceId, run.spanId),
  ];
}

/**
 * Attempts as one OTLP/HTTP JSON ExportTraceServiceRequest, one trace per attempt, spans named
 * and attributed by the CI/CD semantic conventions (docs/opentelemetry.md, "Export"): ids are
 * derived from the attempt id, so the same attempt always becomes the same trace.
 */
export function attemptsToOtlp(
  attempts: readonly Attempt[],
  options: TraceOptions,
): OtlpTraceRequest {
  return {
    resourceSpans: attempts.map((attempt) => ({
      resource: {
        attributes: keyValues({
          [CICD.serviceName]: options.serviceName,
          [CICD.environment]: attempt.environment,
          // Read back by POST /v1/traces: a trace that comes back (a collector that also
          // forwards to deployslo) adds to its own attempt instead of making a second one.
          [DEPLOYSLO.attemptId]: attempt.id,
        }),
      },
      scopeSpans: [
        {
          scope: { name: "deployslo", version: options.version },
          spans: attemptSpans(attempt),
        },
      ],
    })),
  };
}
