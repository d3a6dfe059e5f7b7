import type { NotificationDelivery } from "../core/notification/notification-delivery.js";
import type { ResolvedTarget, TargetType } from "../core/notification/notification-target.js";
import {
  DEFAULT_RETRY_POLICY,
  nextAttemptAt,
  type RetryPolicy,
} from "../core/primitives/delivery-backoff.js";
import { DeliveryError } from "../notify/delivery-error.js";
import type { Notifiers } from "../notify/notifier.js";
import { sendWith } from "../notify/notifiers.js";
import type { Store } from "../store/store.js";

/** What the delivery use case logs through; a pino logger fits. */
export interface DeliveryLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface DeliveryContext {
  readonly store: Store;
  /** Configured targets by name; a getter, so a reload takes effect at the next round. */
  targets(): ReadonlyMap<string, ResolvedTarget>;
  readonly notifiers: Notifiers;
  /** This process's name in leases; unique per replica. */
  readonly owner: string;
  now(): number;
  /** In [0, 1): spreads retries. */
  random(): number;
  readonly policy?: RetryPolicy;
  readonly logger?: DeliveryLogger;
}

export interface RoundResult {
  readonly claimed: number;
  readonly delivered: number;
  /** Failed this time, to be tried again. */
  readonly retrying: number;
  /** Failed and given up. */
  readonly dead: number;
}

/** Deliveries claimed per round. */
export const DELIVERIES_PER_ROUND = 50;
/** Extra lease time on top of the slowest target's timeout. */
const LEASE_MARGIN_MS = 30_000;

function leaseMs(targets: ReadonlyMap<string, ResolvedTarget>): number {
  let slowest = 0;
  for (const target of targets.values()) slowest = Math.max(slowest, target.timeoutMs);
  return slowest + LEASE_MARGIN_MS;
}

async function attempt(
  context: DeliveryContext,
  delivery: NotificationDelivery,
  signal: AbortSignal,
): Promise<"delivered" | "retrying" | "dead"> {
  const { notification } = delivery;
  const target = context.targets().get(delivery.target);
  let failure: DeliveryError | undefined;
  if (target === undefined) {
    // Retried, not dropped: a reload that brings the target back delivers it.
    failure = new DeliveryError(`no notification target named "${delivery.target}" is configured`, {
      status: null,
      retryable: true,
    });
  } else {
    try {
      await sendWith(context.notifiers, notification, target, signal);
    } catch (error) {
      failure =
        error instanceof DeliveryError
          ? error
          : new DeliveryError(error instanceof Error ? error.message : String(error), {
              status: null,
              retryable: true,
            });
    }
  }
  const at = context.now();
  const fields = { key: notification.key, target: delivery.target, attempt: delivery.attempts };
  if (failure === undefined) {
    const recorded = await context.store.recordDeliveryOutcome(context.owner, {
      kind: "delivered",
      key: notification.key,
      target: delivery.target,
      at,
    });
    if (!recorded) {
      // The send outlived the lease: another replica may send it again (at least once).
      context.logger?.warn(fields, "notification delivered after its lease expired");
    } else context.logger?.info(fields, "notification delivered");
    return "delivered";
  }
  // Cut short by a shutdown: due again at once, for whichever replica runs next.
  const next = signal.aborted
    ? at
    : failure.retryable
      ? nextAttemptAt(
          at,
          delivery.attempts,
          context.random(),
          context.policy ?? DEFAULT_RETRY_POLICY,
        )
      : null;
  await context.store.recordDeliveryOutcome(context.owner, {
    kind: "failed",
    key: notification.key,
    target: delivery.target,
    at,
    error: failure.message,
    status: failure.status,
    nextAttemptAt: next,
  });
  if (next === null) {
    context.logger?.error(
      { ...fields, error: failure.message, status: failure.status },
      "notification given up (dead)",
    );
    return "dead";
  }
  context.logger?.warn(
    { ...fields, error: failure.message, status: failure.status, nextAttemptAt: new Date(next) },
    "notification delivery failed; will retry",
  );
  return "retrying";
}

/**
 * One round of the outbox: claims the due deliveries (leased, so other replicas skip them),
 * sends them concurrently and records each result: delivered, retried later with backoff, or
 * dead (a permanent refusal, or too many attempts).
 */
export async function deliverDueNotifications(
  context: DeliveryContext,
  signal: AbortSignal,
  limit = DELIVERIES_PER_ROUND,
): Promise<RoundResult> {
  const claimed = await context.store.claimNotificationDeliveries({
    owner: context.owner,
    now: context.now(),
    leaseMs: leaseMs(context.targets()),
    limit,
  });
  const results = await Promise.all(claimed.map((d) => attempt(context, d, signal)));
  return {
    claimed: claimed.length,
    delivered: results.filter((r) => r === "delivered").length,
    retrying: results.filter((r) => r === "retrying").length,
    dead: results.filter((r) => r === "dead").length,
  };
}
