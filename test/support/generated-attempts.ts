import type { Attempt } from "../../src/core/attempt/attempt.js";
import { parseAttemptRecord } from "../../src/core/attempt/parse-attempt-record.js";
import { generateHistory, type HistoryOptions } from "../../src/sample/generate-history.js";

export const HISTORY_START = Date.UTC(2026, 8, 1);

/**
 * A generated history as the core reads it (every record is valid by construction): steady by
 * default, without the registry slowdown and the runtime upgrade, unless the options ask.
 */
export function generatedAttempts(options: Partial<HistoryOptions> & { seed: number }): Attempt[] {
  const attempts: Attempt[] = [];
  for (const record of generateHistory({
    start: HISTORY_START,
    days: 30,
    degradation: false,
    runtimeUpgrade: false,
    ...options,
  })) {
    const parsed = parseAttemptRecord(record);
    if (!parsed.ok) throw new Error(`generated record invalid: ${parsed.problems.join("; ")}`);
    attempts.push(parsed.attempt);
  }
  return attempts;
}
