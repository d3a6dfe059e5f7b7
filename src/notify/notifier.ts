import type { AlertNotification } from "../core/notification/alert-notification.js";
import type { ResolvedTargetOf, TargetType } from "../core/notification/notification-target.js";

/**
 * Delivers one notification to one target of its type. Resolves once the receiver accepted it;
 * rejects with a DeliveryError saying whether a retry may help. Stops when `signal` aborts.
 */
export interface Notifier<T extends TargetType = TargetType> {
  send(
    notification: AlertNotification,
    target: ResolvedTargetOf<T>,
    signal: AbortSignal,
  ): Promise<void>;
}

/** One notifier for each target type, each typed by the targets it takes. */
export type Notifiers = { readonly [T in TargetType]: Notifier<T> };

/** The clock notifiers stamp payloads with, epoch ms. */
export type Clock = () => number;
