import type { Attempt, Attributes, DependencySample, Stage } from "../core/attempt.js";
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
    stages: JSON.stringify(attempt.stages),
    dependencies: JSON.stringify(attempt.dependencies),
    attributes: JSON.stringify(attempt.attributes),
  };
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
    stages: parseStoredJson<readonly Stage[]>(row.stages, `${what}: stages`),
    dependencies: parseStoredJson<readonly DependencySample[]>(
      row.dependencies,
      `${what}: dependencies`,
    ),
    attributes: parseStoredJson<Attributes>(row.attributes, `${what}: attributes`),
  };
}
