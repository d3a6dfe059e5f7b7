import type { Clock } from "../clock/clock.js";
import type { TargetType } from "../core/notification/notification-target.js";
import { alertmanagerNotifier } from "./alertmanager-notifier.js";
import type { Notifier } from "./notifier.js";
import { pagerdutyNotifier } from "./pagerduty-notifier.js";
import { slackNotifier } from "./slack-notifier.js";
import { webhookNotifier } from "./webhook-notifier.js";

/** One notifier per target type; `clock` stamps the payloads that carry a time. */
export function createNotifiers(clock: Pick<Clock, "now">): Readonly<Record<TargetType, Notifier>> {
  return Object.freeze({
    webhook: webhookNotifier(clock),
    alertmanager: alertmanagerNotifier(),
    slack: slackNotifier(),
    pagerduty: pagerdutyNotifier(),
  });
}
