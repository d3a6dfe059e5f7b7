import type { Attempt, Attributes, DependencySample, Stage } from "../core/attempt/attempt.js";
import { parseStoredJson } from "./parse-stored-json.js";
import type { AttemptRow, EncodedAttempt } from "./schema.js";
import { wholeMillis } from "./whole-millis.js";

/**
 * The columns storing `attempt`, but for its change seq and write time, which the store adds
 * in the write transaction. A plain object of strings and numbers, so it crosses a worker
 * thread boundary cheaply: batch ingest encodes off the event loop.
 */
export function encodeAttempt(attempt: Attempt): EncodedAttempt {
  const { startedAt, servingAt, endedAt } = attempt;
  // The messages are built only on the slow path: this runs for every record of a batch.
  if (!(isWhole(startedAt) && isWhole(servingAt) && isWhole(endedAt))) {
    const what = `attempt ${JSON.stringify(attempt.id)}`;
    wholeMillis(startedAt, `${what}: startedAt`);
    wholeMillis(servingAt, `${what}: servingAt`);
    wholeMillis(endedAt, `${what}: endedAt`);
  }
  return {
    id: attempt.id,
    model: attempt.model,
    version: attempt.version,
    environment: attempt.environment,
    labels: JSON.stringify(attempt.labels),
    started_at: startedAt,
    serving_at: servingAt,
    ended_at: endedAt,
    outcome: attempt.outcome,
    stages: JSON.stringify(attempt.stages.map(stageTuple)),
    dependencies: JSON.stringify(attempt.dependencies.map(dependencyTuple)),
    attributes: JSON.stringify(attempt.attributes),
  };
}

/*
 * Stages and dependency samples are stored as JSON arrays of tuples, not of objects: the
 * property names were 40% of an attempt's row, and writing them a fifth of the encoding time
 * (docs/decisions.md). Rows written before hold objects; reading takes both.
 */
type StageTuple = [string, number, number | null, Stage["status"], Stage["kind"], Attributes];
type DependencyTuple = [string, number, number | null, Attributes];

function stageTuple(stage: Stage): StageTuple {
  return [stage.name, stage.startedAt, stage.endedAt, stage.status, stage.kind, stage.attributes];
}

function dependencyTuple(sample: DependencySample): DependencyTuple {
  return [sample.name, sample.seconds, sample.at, sample.attributes];
}

function storedStage(stored: StageTuple | Stage): Stage {
  if (!Array.isArray(stored)) return stored;
  const [name, startedAt, endedAt, status, kind, attributes] = stored;
  return { name, startedAt, endedAt, status, kind, attributes };
}

function storedDependency(stored: DependencyTuple | DependencySample): DependencySample {
  if (!Array.isArray(stored)) return stored;
  const [name, seconds, at, attributes] = stored;
  return { name, seconds, at, attributes };
}

function isWhole(value: number | null): boolean {
  return value === null || Number.isSafeInteger(value);
}

export function rowToAttempt(row: AttemptRow): Attempt {
  const what = `stored attempt ${JSON.stringify(row.id)}`;
  return {
    id: row.id,
    model: row.model,
    version: row.version,
    environment: row.environment,
    labels: parseStoredJson<Readonly<Record<string, string>>>(row.labels, `${what}: labels`),
    startedAt: row.started_at,
    servingAt: row.serving_at,
    endedAt: row.ended_at,
    outcome: row.outcome,
    stages: parseStoredJson<(StageTuple | Stage)[]>(row.stages, `${what}: stages`).map(storedStage),
    dependencies: parseStoredJson<(DependencyTuple | DependencySample)[]>(
      row.dependencies,
      `${what}: dependencies`,
    ).map(storedDependency),
    attributes: parseStoredJson<Attributes>(row.attributes, `${what}: attributes`),
  };
}
