import { closestName } from "../primitives/closest-name.js";
import {
  type Attempt,
  type DependencySample,
  OUTCOMES,
  type Outcome,
  STAGE_KINDS,
  STAGE_STATUSES,
  type Stage,
  type StageKind,
  type StageStatus,
} from "./attempt.js";
import {
  attributes,
  checkCount,
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

export type AttemptParse =
  | { readonly ok: true; readonly attempt: Attempt }
  | { readonly ok: false; readonly id: string | undefined; readonly problems: readonly string[] };

const RECORD_FIELDS = [
  "id",
  "model",
  "version",
  "environment",
  "labels",
  "startedAt",
  "servingAt",
  "endedAt",
  "outcome",
  "stages",
  "dependencies",
  "attributes",
];
const STAGE_FIELDS = ["name", "startedAt", "endedAt", "status", "kind", "attributes"];
const DEPENDENCY_FIELDS = ["name", "seconds", "at", "attributes"];
const RECORD_FIELD_SET = new Set(RECORD_FIELDS);
const STAGE_FIELD_SET = new Set(STAGE_FIELDS);
const DEPENDENCY_FIELD_SET = new Set(DEPENDENCY_FIELDS);
const OUTCOME_SET = new Set<string>(OUTCOMES);
const STATUS_SET = new Set<string>(STAGE_STATUSES);
const KIND_SET = new Set<string>(STAGE_KINDS);
const ENDED_OUTCOMES = new Set<Outcome>(["failed", "rolled_back", "timed_out", "cancelled"]);

const NO_ITEMS: readonly never[] = Object.freeze([]);

function unknownFields(
  obj: Record<string, unknown>,
  allowed: Set<string>,
  names: readonly string[],
  prefix: string,
  problems: Problems,
): void {
  for (const key in obj) {
    if (!allowed.has(key)) {
      const guess = closestName(key, names);
      const hint = guess === undefined ? "" : ` (did you mean "${guess}"?)`;
      problems.add(`${prefix}${key} is not a known field${hint}`);
    }
  }
}

function parseStage(
  value: unknown,
  path: string,
  problems: Problems,
  limits: RecordLimits,
): Stage | undefined {
  if (!isObject(value)) {
    problems.add(`${path} must be an object, got ${show(value)}`);
    return undefined;
  }
  unknownFields(value, STAGE_FIELD_SET, STAGE_FIELDS, `${path}.`, problems);
  const name = requiredName(value.name, `${path}.name`, problems);
  const startedAt = requiredTime(value.startedAt, `${path}.startedAt`, problems);
  const endedAt = optionalTime(value.endedAt, `${path}.endedAt`, problems);
  let status: StageStatus = endedAt === null ? "in_progress" : "succeeded";
  if (value.status !== undefined) {
    if (typeof value.status === "string" && STATUS_SET.has(value.status)) {
      status = value.status as StageStatus;
    } else {
      problems.add(
        `${path}.status must be one of ${STAGE_STATUSES.join(", ")}, got ${show(value.status)}`,
      );
    }
  }
  let kind: StageKind = "active";
  if (value.kind !== undefined) {
    if (typeof value.kind === "string" && KIND_SET.has(value.kind)) kind = value.kind as StageKind;
    else problems.add(`${path}.kind must be active or wait, got ${show(value.kind)}`);
  }
  if (endedAt !== null && endedAt < startedAt) {
    problems.add(`${path}.endedAt is before ${path}.startedAt`);
  }
  if (status === "in_progress" && endedAt !== null) {
    problems.add(`${path}.status is in_progress but ${path}.endedAt is set`);
  } else if (status !== "in_progress" && endedAt === null && value.status !== undefined) {
    problems.add(`${path}.status ${status} requires ${path}.endedAt`);
  }
  const attrs = attributes(value.attributes, `${path}.attributes`, problems, limits.attributes);
  return { name, startedAt, endedAt, status, kind, attributes: attrs };
}

function parseDependency(
  value: unknown,
  path: string,
  problems: Problems,
  limits: RecordLimits,
): DependencySample | undefined {
  if (!isObject(value)) {
    problems.add(`${path} must be an object, got ${show(value)}`);
    return undefined;
  }
  unknownFields(value, DEPENDENCY_FIELD_SET, DEPENDENCY_FIELDS, `${path}.`, problems);
  const name = requiredName(value.name, `${path}.name`, problems);
  const seconds = value.seconds;
  if (typeof seconds !== "number" || !Number.isFinite(seconds) || seconds < 0) {
    problems.add(
      seconds === undefined
        ? `${path}.seconds is required`
        : `${path}.seconds must be a number ≥ 0, got ${show(seconds)}`,
    );
  }
  const at = optionalTime(value.at, `${path}.at`, problems);
  const attrs = attributes(value.attributes, `${path}.attributes`, problems, limits.attributes);
  return {
    name,
    seconds: typeof seconds === "number" ? seconds : Number.NaN,
    at,
    attributes: attrs,
  };
}

function list<T>(
  value: unknown,
  path: string,
  problems: Problems,
  limits: RecordLimits,
  limit: number,
  parse: (
    item: unknown,
    itemPath: string,
    problems: Problems,
    limits: RecordLimits,
  ) => T | undefined,
): readonly T[] {
  if (value === undefined || value === null) return NO_ITEMS;
  if (!Array.isArray(value)) {
    problems.add(`${path} must be an array, got ${show(value)}`);
    return NO_ITEMS;
  }
  checkCount(value.length, limit, path, problems);
  if (value.length > limit) return NO_ITEMS;
  const out: T[] = [];
  for (let i = 0; i < value.length; i++) {
    const item = parse(value[i], `${path}[${i}]`, problems, limits);
    if (item !== undefined) out.push(item);
  }
  return out;
}

/**
 * Validates one attempt record (as parsed from JSON) into an Attempt. Every problem found
 * is reported with the field path it is about, e.g. `servingAt is before startedAt`.
 * Hand-written rather than schema-driven: it is the inner loop of reading a million
 * records and must stay within a few hundred nanoseconds for a plain record.
 */
export function parseAttemptRecord(
  value: unknown,
  limits: RecordLimits = DEFAULT_RECORD_LIMITS,
): AttemptParse {
  const problems = new Problems();
  if (!isObject(value)) {
    return {
      ok: false,
      id: undefined,
      problems: [`a record must be a JSON object, got ${show(value)}`],
    };
  }
  unknownFields(value, RECORD_FIELD_SET, RECORD_FIELDS, "", problems);
  const id = requiredName(value.id, "id", problems);
  const model = requiredName(value.model, "model", problems);
  const environment = requiredName(value.environment, "environment", problems);
  const version = requiredVersion(value.version, problems);
  const labelMap = labels(value.labels, problems, limits.labels);
  const startedAt = requiredTime(value.startedAt, "startedAt", problems);
  const servingAt = optionalTime(value.servingAt, "servingAt", problems);
  const endedAt = optionalTime(value.endedAt, "endedAt", problems);

  let outcome: Outcome = servingAt === null ? "in_progress" : "succeeded";
  if (value.outcome !== undefined && value.outcome !== null) {
    if (typeof value.outcome === "string" && OUTCOME_SET.has(value.outcome)) {
      outcome = value.outcome as Outcome;
    } else {
      problems.add(`outcome must be one of ${OUTCOMES.join(", ")}, got ${show(value.outcome)}`);
    }
  }
  if (servingAt !== null && servingAt < startedAt) problems.add("servingAt is before startedAt");
  if (endedAt !== null && endedAt < startedAt) problems.add("endedAt is before startedAt");
  if (servingAt !== null && endedAt !== null && endedAt < servingAt) {
    problems.add("endedAt is before servingAt");
  }
  if (outcome === "succeeded" && servingAt === null) {
    problems.add("outcome succeeded requires servingAt (when the first inference was served)");
  }
  if (ENDED_OUTCOMES.has(outcome) && endedAt === null) {
    problems.add(`outcome ${outcome} requires endedAt (when the attempt ended)`);
  }
  if (outcome === "in_progress") {
    if (endedAt !== null) problems.add("outcome in_progress contradicts endedAt: omit one of them");
    if (servingAt !== null) {
      problems.add(
        "outcome in_progress contradicts servingAt: an attempt that served its first inference has succeeded (omit outcome or set it)",
      );
    }
  }
  const stages = list(value.stages, "stages", problems, limits, limits.stages, parseStage);
  const dependencies = list(
    value.dependencies,
    "dependencies",
    problems,
    limits,
    limits.dependencies,
    parseDependency,
  );
  const attrs = attributes(value.attributes, "attributes", problems, limits.attributes);

  if (problems.list !== undefined) {
    return { ok: false, id: id === "" ? undefined : id, problems: problems.list };
  }
  return {
    ok: true,
    attempt: {
      id,
      model,
      version,
      environment,
      labels: labelMap,
      startedAt,
      servingAt,
      endedAt,
      outcome,
      stages,
      dependencies,
      attributes: attrs,
    },
  };
}
