import { DeploysloError } from "../core/primitives/error-codes.js";
import type { AttemptBatchDecoder } from "../ingest/attempt-batch-decoder.js";
import type { BatchFormat } from "../ingest/decode-attempt-batch.js";
import type { EncodedAttempt } from "../store/schema.js";
import type { ServiceContext } from "./service-context.js";

/** Throws FORBIDDEN, storing nothing, when `admit` gives a reason against any attempt. */
function refuseUnadmitted(
  attempts: readonly EncodedAttempt[],
  admit: (attempt: EncodedAttempt) => string | undefined,
): void {
  const reasons: string[] = [];
  for (const [i, attempt] of attempts.entries()) {
    const reason = admit(attempt);
    if (reason !== undefined && reasons.length < 100)
      reasons.push(`[${i}] ${attempt.id}: ${reason}`);
  }
  if (reasons.length > 0) {
    throw new DeploysloError(
      "FORBIDDEN",
      `${reasons.length} record(s) are outside the token's scope; nothing was stored`,
      reasons,
    );
  }
}

/**
 * The ingest use case: decode and validate every record of a body (on a worker thread when
 * the decoder has them), and store all of them in one transaction only when all are valid,
 * so a rejected request changes nothing. Upsert by id makes re-sending the same records
 * harmless.
 */
export async function ingestAttempts({
  ctx,
  input: { body, format, admit },
}: {
  readonly ctx: Pick<ServiceContext, "store"> & { readonly attemptBatches: AttemptBatchDecoder };
  readonly input: {
    readonly body: Uint8Array;
    readonly format: BatchFormat;
    /** Refuses attempts the caller may not write (a scoped token's): says why, or undefined. */
    readonly admit?: ((attempt: EncodedAttempt) => string | undefined) | undefined;
  };
}): Promise<{ accepted: number; inserted: number; updated: number }> {
  const attempts = await ctx.attemptBatches.decode(body, format);
  if (admit !== undefined) refuseUnadmitted(attempts, admit);
  const { inserted, updated } = await ctx.store.upsertEncodedAttempts(attempts);
  return { accepted: attempts.length, inserted, updated };
}
