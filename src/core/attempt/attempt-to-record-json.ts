import type {
  WrittenAttemptRecord,
  WrittenStageRecord,
} from "../../contract/written-attempt-record-schema.js";
import { formatTimestamp } from "../primitives/timestamp.js";
import type { Attempt } from "./attempt.js";

/** One attempt in the JSON record format of docs/records.md, as written: the contract's type. */
export type AttemptRecordJson = WrittenAttemptRecord;
export type StageRecordJson = WrittenStageRecord;
type DependencyRecordJson = NonNullable<WrittenAttemptRecord["dependencies"]>[number];

function nonEmpty<T extends object>(value: Readonly<T>): T | undefined {
  return Object.keys(value).length === 0 ? undefined : { ...value };
}

function time(ms: number | null): string | undefined {
  return ms === null ? undefined : formatTimestamp(ms);
}

/** Drops the keys whose value is undefined, so that absent fields are omitted, not undefined. */
function defined<T extends object>(value: { [K in keyof T]: T[K] | undefined }): T {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (v !== undefined) out[key] = v;
  return out as T;
}

/**
 * Writes an Attempt as a JSON record (docs/records.md) that parseAttemptRecord reads back to
 * an equal Attempt: fields in the documented order, RFC 3339 UTC timestamps with
 * milliseconds, `outcome` always written, and absent or empty optional fields (null times,
 * empty labels, stages, dependencies, attributes) omitted.
 */
export function attemptToRecordJson(attempt: Attempt): AttemptRecordJson {
  return defined<AttemptRecordJson>({
    id: attempt.id,
    model: attempt.model,
    version: attempt.version,
    environment: attempt.environment,
    labels: nonEmpty(attempt.labels),
    startedAt: formatTimestamp(attempt.startedAt),
    servingAt: time(attempt.servingAt),
    endedAt: time(attempt.endedAt),
    outcome: attempt.outcome,
    stages:
      attempt.stages.length === 0
        ? undefined
        : attempt.stages.map((stage) =>
            defined<StageRecordJson>({
              name: stage.name,
              startedAt: formatTimestamp(stage.startedAt),
              endedAt: time(stage.endedAt),
              status: stage.status,
              kind: stage.kind,
              attributes: nonEmpty(stage.attributes),
            }),
          ),
    dependencies:
      attempt.dependencies.length === 0
        ? undefined
        : attempt.dependencies.map((dependency) =>
            defined<DependencyRecordJson>({
              name: dependency.name,
              seconds: dependency.seconds,
              at: time(dependency.at),
              attributes: nonEmpty(dependency.attributes),
            }),
          ),
    attributes: nonEmpty(attempt.attributes),
  });
}
