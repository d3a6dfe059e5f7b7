import type { AttemptBatchDecoder } from "../ingest/attempt-batch-decoder.js";
import type { BatchFormat } from "../ingest/decode-attempt-batch.js";
import type { ServiceContext } from "./service-context.js";

/**
 * The ingest use case: decode and validate every record of a body (on a worker thread when
 * the decoder has them), and store all of them in one transaction only when all are valid,
 * so a rejected request changes nothing. Upsert by id makes re-sending the same records
 * harmless.
 */
export async function ingestAttempts({
  ctx,
  input: { body, format },
}: {
  readonly ctx: Pick<ServiceContext, "store"> & { readonly attemptBatches: AttemptBatchDecoder };
  readonly input: { readonly body: Uint8Array; readonly format: BatchFormat };
}): Promise<{ accepted: number; inserted: number; updated: number }> {
  const attempts = await ctx.attemptBatches.decode(body, format);
  const { inserted, updated } = await ctx.store.upsertEncodedAttempts(attempts);
  return { accepted: attempts.length, inserted, updated };
}
