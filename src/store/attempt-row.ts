import type { Attempt, Attributes, DependencySample, Stage } from "../core/attempt.js";
import { parseStoredJson } from "./parse-stored-json.js";
import type { AttemptRow, NewAttemptRow } from "./schema.js";
import { wholeMillis } from "./whole-millis.js";

/** The row storing `attempt` as change `seq`. */
export function attemptToRow(attempt: Attempt, seq: number, updatedAt: number): NewAttemptRow {
  const what = `attempt ${JSON.stringify(attempt.id)}`;
  return {
    id: attempt.id,
    seq,
    model: attempt.model,
    version: attempt.version,
    environment: attempt.environment,
    labels: JSON.stringify(attempt.labels),
    started_at: wholeMillis(attempt.startedAt, `${what}: startedAt`),
    serving_at: wholeMillis(attempt.servingAt, `${what}: servingAt`),
    ended_at: wholeMillis(attempt.endedAt, `${what}: endedAt`),
    outcome: attempt.outcome,
    stages: JSON.stringify(attempt.stages),
    dependencies: JSON.stringify(attempt.dependencies),
    attributes: JSON.stringify(attempt.attributes),
    updated_at: updatedAt,
  };
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
