import { retentionProblem } from "../core/evaluation/retention-reach.js";
import { DeploysloError } from "../core/primitives/error-codes.js";
import type { PrunePosition } from "../store/store.js";
import type { UseCaseCall } from "./service-context.js";

/** The lease under which one replica at a time deletes expired rows. */
export const RETENTION_LEASE = "retention";

/** What one batch deleted, for the metrics. */
export interface PrunedBatch {
  readonly table: "attempts" | "notifications";
  readonly deleted: number;
}

export interface PruneInput {
  /** How long rows are kept, ms (resolveRetention). */
  readonly retainMs: number;
  /** This process's name in the lease; unique per replica. */
  readonly owner: string;
  readonly leaseMs: number;
  /** Rows looked at per transaction: the longest the writers' lock is held is one batch. */
  readonly batchSize: number;
  /** Pause between two batches, ms, so that ingest runs between them. */
  readonly pauseMs: number;
  readonly signal: AbortSignal;
  readonly onBatch?: (batch: PrunedBatch) => void;
}

export interface PruneResult {
  /** False when another replica holds the lease: it deletes, this one waits. */
  readonly held: boolean;
  /** Rows with nothing at or after this instant were deleted; null when not held. */
  readonly cutoff: number | null;
  readonly attempts: number;
  readonly notifications: number;
  readonly batches: number;
}

/**
 * Deletes the rows no SLO can see any more (docs/operations.md, "Retention"): the attempts
 * with nothing at or after now − retainMs, with their events, kept records and export marks,
 * then the notification deliveries done with before it. Batch by batch, each its own short
 * transaction with a pause after it, so writers wait at most one batch; stops between batches
 * when `signal` aborts (the next pass starts over, nothing is half-deleted). Under a lease, so
 * one replica does the work; two at once would only repeat each other's deletes.
 */
export async function pruneExpiredRows({
  ctx: { store, engine, clock },
  input,
}: UseCaseCall<"store" | "engine" | "clock", PruneInput>): Promise<PruneResult> {
  const { retainMs, owner, leaseMs, batchSize, pauseMs, signal } = input;
  const now = clock.now();
  if (!(await store.acquireLease({ name: RETENTION_LEASE, owner, now, leaseMs }))) {
    return { held: false, cutoff: null, attempts: 0, notifications: 0, batches: 0 };
  }
  // Reloads check this first; checked again so that nothing a current SLO reads is deleted.
  const problem = retentionProblem(retainMs, engine.slos);
  if (problem !== undefined) throw new DeploysloError("CONFIG_INVALID", problem);
  const cutoff = now - retainMs;
  let attempts = 0;
  let notifications = 0;
  let batches = 0;
  let after: PrunePosition | undefined;
  do {
    if (batches > 0) await clock.sleep(pauseMs, signal);
    if (signal.aborted) break;
    const batch = await store.deleteAttemptsEndedBefore(cutoff, batchSize, after);
    batches++;
    attempts += batch.deleted;
    input.onBatch?.({ table: "attempts", deleted: batch.deleted });
    after = batch.next ?? undefined;
  } while (after !== undefined);
  for (let deleted = batchSize; deleted >= batchSize && !signal.aborted; ) {
    await clock.sleep(pauseMs, signal);
    if (signal.aborted) break;
    deleted = await store.deleteNotificationsDoneBefore(cutoff, batchSize);
    batches++;
    notifications += deleted;
    input.onBatch?.({ table: "notifications", deleted });
  }
  return { held: true, cutoff, attempts, notifications, batches };
}
