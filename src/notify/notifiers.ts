import type { AlertNotification } from "../core/notification/alert-notification.js";
import type { ResolvedTarget } from "../core/notification/notification-target.js";
import { alertmanagerNotifier } from "./alertmanager-notifier.js";
import type { Clock, Notifiers } from "./notifier.js";
import { pagerdutyNotifier } from "./pagerduty-notifier.js";
import { slackNotifier } from "./slack-notifier.js";
import { webhookNotifier } from "./webhook-notifier.js";

/** One notifier per target type. */
export function createNotifiers(now: Clock): Notifiers {
  return Object.freeze({
    webhook: webhookNotifier(now),
    alertmanager: alertmanagerNotifier(),
    slack: slackNotifier(),
    pagerduty: pagerdutyNotifier(),
  });
}

/** Sends with the notifier of the target's own type. */
export function sendWith(
  notifiers: Notifiers,
  notification: AlertNotification,
  target: ResolvedTarget,
  signal: AbortSignal,
): Promise<void> {
  switch (target.type) {
    case "webhook":
      return notifiers.webhook.send(notification, target, signal);
    case "alertmanager":
      return notifiers.alertmanager.send(notification, target, signal);
    case "slack":
      return notifiers.slack.send(notification, target, signal);
    case "pagerduty":
      return notifiers.pagerduty.send(notification, target, signal);
  }
}
