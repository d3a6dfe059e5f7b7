import type { Attempt } from "../core/attempt.js";
import { DeploysloError } from "../core/error-codes.js";
import { parseAttemptRecord } from "../core/parse-attempt-record.js";
import type { Store } from "../store/store.js";

/** A raw record with where it came from in the request, for error messages. */
export interface LocatedValue {
  readonly where: string;
  readonly value: unknown;
}

export const MAX_RECORDS_PER_REQUEST = 10_000;

/**
 * The ingest use case: validate every record, and store all of them in one transaction only
 * when all are valid, so a rejected request changes nothing. Upsert by id makes re-sending
 * the same records harmless.
 */
export async function ingestAttempts(
  store: Store,
  records: readonly LocatedValue[],
): Promise<{ accepted: number; inserted: number; updated: number }> {
  if (records.length === 0)
    throw new DeploysloError("RECORD_INVALID", "the request holds no attempt record");
  if (records.length > MAX_RECORDS_PER_REQUEST) {
    throw new DeploysloError(
      "PAYLOAD_TOO_LARGE",
      `a request may hold at most ${MAX_RECORDS_PER_REQUEST} records, got ${records.length}: split it`,
    );
  }
  const attempts: Attempt[] = [];
  const problems: string[] = [];
  for (const { where, value } of records) {
    const parsed = parseAttemptRecord(value);
    if (parsed.ok) attempts.push(parsed.attempt);
    else
      for (const problem of parsed.problems)
        if (problems.length < 100) problems.push(`${where}: ${problem}`);
  }
  if (problems.length > 0) {
    throw new DeploysloError(
      "RECORD_INVALID",
      `${records.length - attempts.length} of ${records.length} records invalid; nothing was stored`,
      problems,
    );
  }
  const { inserted, updated } = await store.upsertAttempts(attempts);
  return { accepted: attempts.length, inserted, updated };
}
