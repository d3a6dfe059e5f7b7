import { closestName } from "../primitives/closest-name.js";
import {
  OUTCOMES,
  type Outcome,
  STAGE_KINDS,
  STAGE_STATUSES,
  type StageKind,
  type StageStatus,
} from "./attempt.js";
import { ATTEMPT_EVENT_TYPES, type AttemptEvent, type AttemptEventType } from "./attempt-event.js";
import {
  attributes,
  isAbsent,
  isObject,
  labels,
  optionalTime,
  Problems,
  requiredName,
  requiredTime,
  requiredVersion,
  show,
} from "./field-checks.js";
import { DEFAULT_RECORD_LIMITS, type RecordLimits } from "./record-limits.js";

export type AttemptEventParse =
  | { readonly ok: true; readonly event: AttemptEvent }
  | { readonly ok: false; readonly problems: readonly string[] };

type FinishedOutcome = Exclude<Outcome, "in_progress">;
type FinishedStatus = Exclude<StageStatus, "in_progress">;

const COMMON_FIELDS = ["id", "type", "attemptId", "at"];
/** The fields each event type may carry, besides the common ones. */
const TYPE_FIELDS: Readonly<Record<AttemptEventType, readonly string[]>> = {
  "attempt.started": ["model", "version", "environment", "labels", "attributes"],
  "stage.started": ["stage", "kind", "attributes"],
  "stage.finished": ["stage", "status", "startedAt", "kind", "attributes"],
  "attempt.serving": [],
  "attempt.finished": ["outcome"],
  "dependency.measured": ["name", "seconds", "attributes"],
};
/** Record-format names a reporter may carry over: on an event the time is always `at`. */
const RECORD_TIMES = new Set(["startedAt", "servingAt", "endedAt"]);
const FINISHED_OUTCOMES = OUTCOMES.filter((o) => o !== "in_progress") as FinishedOutcome[];
const FINISHED_STATUSES = STAGE_STATUSES.filter((s) => s !== "in_progress") as FinishedStatus[];
const TYPE_SET = new Set<string>(ATTEMPT_EVENT_TYPES);
const OUTCOME_SET = new Set<string>(FINISHED_OUTCOMES);
const STATUS_SET = new Set<string>(FINISHED_STATUSES);
const KIND_SET = new Set<string>(STAGE_KINDS);

function didYouMean(name: string, known: readonly string[]): string {
  const guess = closestName(name, known) ?? (RECORD_TIMES.has(name) ? "at" : undefined);
  return guess === undefined ? "" : ` (did you mean "${guess}"?)`;
}

function kind(value: unknown, problems: Problems): StageKind | null {
  if (isAbsent(value)) return null;
  if (typeof value === "string" && KIND_SET.has(value)) return value as StageKind;
  problems.add(`kind must be active or wait, got ${show(value)}`);
  return null;
}

function status(value: unknown, problems: Problems): FinishedStatus {
  if (isAbsent(value)) return "succeeded";
  if (typeof value === "string" && STATUS_SET.has(value)) return value as FinishedStatus;
  problems.add(
    value === "in_progress"
      ? "status in_progress is not an end: send stage.finished once the stage has ended"
      : `status must be one of ${FINISHED_STATUSES.join(", ")}, got ${show(value)}`,
  );
  return "succeeded";
}

function outcome(value: unknown, problems: Problems): FinishedOutcome {
  if (typeof value === "string" && OUTCOME_SET.has(value)) return value as FinishedOutcome;
  problems.add(
    value === undefined
      ? "outcome is required"
      : value === "in_progress"
        ? "outcome in_progress is not an end: send attempt.finished once the attempt has ended"
        : `outcome must be one of ${FINISHED_OUTCOMES.join(", ")}, got ${show(value)}`,
  );
  return "failed";
}

function seconds(value: unknown, problems: Problems): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    problems.add(
      value === undefined
        ? "seconds is required"
        : `seconds must be a number ≥ 0, got ${show(value)}`,
    );
    return Number.NaN;
  }
  return value;
}

function eventType(value: unknown, problems: Problems): AttemptEventType | undefined {
  if (typeof value === "string" && TYPE_SET.has(value)) return value as AttemptEventType;
  if (value === undefined) problems.add("type is required");
  else {
    const hint = typeof value === "string" ? didYouMean(value, ATTEMPT_EVENT_TYPES) : "";
    problems.add(
      `type must be one of ${ATTEMPT_EVENT_TYPES.join(", ")}, got ${show(value)}${hint}`,
    );
  }
  return undefined;
}

/** Reads the fields particular to one event type; `at` is checked here because its rule varies. */
function parseBody(
  type: AttemptEventType,
  value: Record<string, unknown>,
  head: { readonly id: string; readonly attemptId: string },
  problems: Problems,
  limits: RecordLimits,
): AttemptEvent {
  switch (type) {
    case "attempt.started":
      return {
        ...head,
        type,
        at: requiredTime(value.at, "at", problems),
        model: requiredName(value.model, "model", problems),
        version: requiredVersion(value.version, problems),
        environment: requiredName(value.environment, "environment", problems),
        labels: labels(value.labels, problems, limits.labels),
        attributes: attributes(value.attributes, "attributes", problems, limits.attributes),
      };
    case "stage.started":
      return {
        ...head,
        type,
        at: requiredTime(value.at, "at", problems),
        stage: requiredName(value.stage, "stage", problems),
        kind: kind(value.kind, problems) ?? "active",
        attributes: attributes(value.attributes, "attributes", problems, limits.attributes),
      };
    case "stage.finished": {
      const at = requiredTime(value.at, "at", problems);
      const startedAt = optionalTime(value.startedAt, "startedAt", problems);
      if (startedAt !== null && startedAt > at) problems.add("startedAt is after at");
      return {
        ...head,
        type,
        at,
        stage: requiredName(value.stage, "stage", problems),
        status: status(value.status, problems),
        startedAt,
        kind: kind(value.kind, problems),
        attributes: attributes(value.attributes, "attributes", problems, limits.attributes),
      };
    }
    case "attempt.serving":
      return { ...head, type, at: requiredTime(value.at, "at", problems) };
    case "attempt.finished":
      return {
        ...head,
        type,
        at: requiredTime(value.at, "at", problems),
        outcome: outcome(value.outcome, problems),
      };
    case "dependency.measured":
      return {
        ...head,
        type,
        at: optionalTime(value.at, "at", problems),
        name: requiredName(value.name, "name", problems),
        seconds: seconds(value.seconds, problems),
        attributes: attributes(value.attributes, "attributes", problems, limits.attributes),
      };
  }
}

/**
 * Validates one lifecycle event (as parsed from JSON) into an AttemptEvent, in the manner of
 * parseAttemptRecord: every problem names the field it is about, unknown fields are errors
 * with a did-you-mean hint. An optional field set to `null` reads as absent. A missing `id`
 * is filled by `assignId` (called only for a valid event), which keeps the core free of
 * randomness: the server passes `crypto.randomUUID`.
 *
 * @example parseAttemptEvent({ type: "attempt.serving", attemptId: "att-1",
 *   at: "2026-10-01T10:03:12.500Z" }, randomUUID)
 */
export function parseAttemptEvent(
  value: unknown,
  assignId: () => string,
  limits: RecordLimits = DEFAULT_RECORD_LIMITS,
): AttemptEventParse {
  if (!isObject(value)) {
    return { ok: false, problems: [`an event must be a JSON object, got ${show(value)}`] };
  }
  const problems = new Problems();
  const type = eventType(value.type, problems);
  const id = isAbsent(value.id) ? undefined : requiredName(value.id, "id", problems);
  const attemptId = requiredName(value.attemptId, "attemptId", problems);
  if (type === undefined) return { ok: false, problems: problems.list ?? [] };

  const fields = [...COMMON_FIELDS, ...TYPE_FIELDS[type]];
  for (const key in value) {
    if (!fields.includes(key)) {
      problems.add(`${key} is not a known field of ${type} events${didYouMean(key, fields)}`);
    }
  }
  const event = parseBody(type, value, { id: id ?? "", attemptId }, problems, limits);
  if (problems.list !== undefined) return { ok: false, problems: problems.list };
  return { ok: true, event: id === undefined ? { ...event, id: assignId() } : event };
}
