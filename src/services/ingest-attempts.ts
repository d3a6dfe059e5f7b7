import { parseAttemptRecord } from "../core/parse-attempt-record.js";
import type { Store } from "../store/store.js";
import { type LocatedValue, parseBatch } from "./parse-batch.js";

/**
 * The ingest use case: validate every record, and store all of them in one transaction only
 * when all are valid, so a rejected request changes nothing. Upsert by id makes re-sending
 * the same records harmless.
 */
export async function ingestAttempts(
  store: Store,
  records: readonly LocatedValue[],
): Promise<{ accepted: number; inserted: number; updated: number }> {
  const attempts = parseBatch(
    records,
    (value) => {
      const parsed = parseAttemptRecord(value);
      return parsed.ok ? { ok: true, item: parsed.attempt } : parsed;
    },
    { one: "attempt record", many: "records" },
    "RECORD_INVALID",
  );
  const { inserted, updated } = await store.upsertAttempts(attempts);
  return { accepted: attempts.length, inserted, updated };
}
