import { createHmac } from "node:crypto";
import type { Clock } from "../clock/clock.js";
import type { AlertNotification } from "../core/notification/alert-notification.js";
import type { ResolvedTarget } from "../core/notification/notification-target.js";
import { mergedLabels, rfc3339, sloLink, summaryOf } from "./notification-text.js";
import type { Notifier } from "./notifier.js";
import { postJson } from "./post-json.js";

export const SIGNATURE_HEADER = "x-deployslo-signature";
export const TIMESTAMP_HEADER = "x-deployslo-timestamp";
export const KEY_HEADER = "x-deployslo-key";

/** The generic webhook body; docs/notifications.md#webhook documents it field by field. */
export function webhookBody(
  notification: AlertNotification,
  target: ResolvedTarget,
  sentAt: number,
): Record<string, unknown> {
  return {
    version: "1",
    key: notification.key,
    target: target.name,
    sentAt: rfc3339(sentAt),
    slo: notification.slo,
    alert: notification.alert,
    severity: notification.severity,
    state: notification.state,
    at: rfc3339(notification.at),
    startsAt: rfc3339(notification.startsAt),
    endsAt: notification.endsAt === null ? null : rfc3339(notification.endsAt),
    summary: summaryOf(notification),
    labels: mergedLabels(notification, target),
    annotations: notification.annotations,
    url: sloLink(notification, target),
    ...(notification.incident === undefined
      ? {}
      : { incident: notification.incident, slos: notification.slos ?? [notification.slo] }),
  };
}

/** `sha256=` and the hex HMAC-SHA256 of the raw body under `secret`. */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(body, "utf8").digest("hex")}`;
}

/**
 * POSTs the notification as JSON to the target's URL. With a secret, the body (which holds
 * `sentAt`, so a replay is detectable) is signed in X-Deployslo-Signature.
 */
export function webhookNotifier(clock: Pick<Clock, "now">): Notifier<"webhook"> {
  return {
    async send(notification, target, signal) {
      const sentAt = clock.now();
      const body = JSON.stringify(webhookBody(notification, target, sentAt));
      const headers: Record<string, string> = {
        [TIMESTAMP_HEADER]: String(Math.floor(sentAt / 1000)),
        [KEY_HEADER]: notification.key,
      };
      if (target.secret !== null) headers[SIGNATURE_HEADER] = signBody(body, target.secret);
      await postJson({ url: target.url, body, headers, timeoutMs: target.timeoutMs, signal });
    },
  };
}
