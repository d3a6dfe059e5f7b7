import type { TargetType } from "../core/notification/notification-target.js";
import { alertmanagerNotifier } from "./alertmanager-notifier.js";
import type { Clock, Notifier } from "./notifier.js";
import { pagerdutyNotifier } from "./pagerduty-notifier.js";
import { slackNotifier } from "./slack-notifier.js";
import { webhookNotifier } from "./webhook-notifier.js";

/** One notifier per target type. */
export function createNotifiers(now: Clock): Readonly<Record<TargetType, Notifier>> {
  return Object.freeze({
    webhook: webhookNotifier(now),
    alertmanager: alertmanagerNotifier(),
    slack: slackNotifier(),
    pagerduty: pagerdutyNotifier(),
  });
}
