import type { AttemptBatchDecoder } from "../ingest/attempt-batch-decoder.js";
import type { BatchFormat } from "../ingest/decode-attempt-batch.js";
import type { Store } from "../store/store.js";

/**
 * The ingest use case: decode and validate every record of a body (on a worker thread when
 * the decoder has them), and store all of them in one transaction only when all are valid,
 * so a rejected request changes nothing. Upsert by id makes re-sending the same records
 * harmless.
 */
export async function ingestAttempts(
  store: Store,
  decoder: AttemptBatchDecoder,
  body: Uint8Array,
  format: BatchFormat,
): Promise<{ accepted: number; inserted: number; updated: number }> {
  const attempts = await decoder.decode(body, format);
  const { inserted, updated } = await store.upsertEncodedAttempts(attempts);
  return { accepted: attempts.length, inserted, updated };
}
