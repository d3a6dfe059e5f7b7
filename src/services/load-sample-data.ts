import type { Attempt } from "../core/attempt/attempt.js";
import { parseAttemptRecord } from "../core/attempt/parse-attempt-record.js";
import { DeploysloError } from "../core/primitives/error-codes.js";
import { generateHistory, type HistoryOptions } from "../sample/generate-history.js";
import type { UseCaseCall } from "./service-context.js";

const DAY_MS = 86_400_000;
const BATCH = 1_000;

/**
 * The generator options of the sample loaded at `now`: 60 days ending at `now` (to the minute),
 * with attempts in flight at the end. The start moves with `now`, so the arrivals fall at other
 * hours of the week than in examples/history.ndjson and the figures differ from one start to the
 * next; test/services/sample-story.test.ts checks what the sample shows at every hour of a week.
 */
export function sampleHistoryOptions(now: number): HistoryOptions {
  const start = Math.floor((now - 60 * DAY_MS) / 60_000) * 60_000;
  return { seed: 42, start, days: 60, inProgressAtEnd: true };
}

/**
 * Loads 60 days of generated SAMPLE history ending now (the same generator as
 * examples/history.ndjson, shifted so the windows are live). Every attempt is marked with the
 * attribute `sample: true`. Only `npm start` / `serve --sample-data` call this, and they use
 * their own database file unless told otherwise, so a user's store never receives it.
 */
export async function loadSampleData({
  ctx: { store, clock },
}: UseCaseCall<"store" | "clock", Readonly<Record<string, never>>>): Promise<number> {
  let batch: Attempt[] = [];
  let count = 0;
  for (const record of generateHistory(sampleHistoryOptions(clock.now()))) {
    const parsed = parseAttemptRecord({
      ...record,
      attributes: { ...record.attributes, sample: true },
    });
    if (!parsed.ok) {
      throw new DeploysloError(
        "INTERNAL",
        `the sample generator made an invalid record: ${parsed.problems.join("; ")}`,
      );
    }
    batch.push(parsed.attempt);
    if (batch.length === BATCH) {
      await store.upsertAttempts(batch);
      count += batch.length;
      batch = [];
    }
  }
  if (batch.length > 0) await store.upsertAttempts(batch);
  return count + batch.length;
}
