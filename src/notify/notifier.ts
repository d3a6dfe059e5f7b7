import type { AlertNotification } from "../core/notification/alert-notification.js";
import type { ResolvedTarget } from "../core/notification/notification-target.js";

/**
 * Delivers one notification to one target of its type. Resolves once the receiver accepted it;
 * rejects with a DeliveryError saying whether a retry may help. Stops when `signal` aborts.
 */
export interface Notifier {
  send(notification: AlertNotification, target: ResolvedTarget, signal: AbortSignal): Promise<void>;
}
