import type { Attempt } from "../core/attempt/attempt.js";
import { parseAttemptRecord } from "../core/attempt/parse-attempt-record.js";
import { DeploysloError } from "../core/primitives/error-codes.js";
import { generateHistory } from "../sample/generate-history.js";
import type { Store } from "../store/store.js";

const DAY_MS = 86_400_000;
const BATCH = 1_000;

/**
 * Loads 60 days of generated SAMPLE history ending at `now` (the same generator as
 * examples/history.ndjson, shifted so the windows are live). Every attempt is marked with the
 * attribute `sample: true`. Only `npm start` / `serve --sample-data` call this, and they use
 * their own database file unless told otherwise, so a user's store never receives it.
 */
export async function loadSampleData(store: Store, now: number): Promise<number> {
  const start = Math.floor((now - 60 * DAY_MS) / 60_000) * 60_000;
  let batch: Attempt[] = [];
  let count = 0;
  for (const record of generateHistory({ seed: 42, start, days: 60, inProgressAtEnd: true })) {
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
