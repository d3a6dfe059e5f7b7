import type { AttemptTables } from "./attempt-tables.js";
import { SUBJECT } from "./subject-outcome.js";

/**
 * The earliest start (epoch ms) of an attempt still in progress, or null when none is. Lets a
 * store query for in-progress attempts start at that instant instead of scanning all history.
 */
export function earliestInProgressStart(tables: AttemptTables): number | null {
  const { outcome, start, length } = tables.deployments;
  let earliest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < length; i++) {
    if (outcome[i] === SUBJECT.inProgress && (start[i] ?? 0) < earliest) earliest = start[i] ?? 0;
  }
  return earliest === Number.POSITIVE_INFINITY ? null : earliest;
}
