import type { AlertNotification } from "../core/notification/alert-notification.js";
import type { ResolvedTarget } from "../core/notification/notification-target.js";
import { mergedLabels, rfc3339, sloLink, summaryOf } from "./notification-text.js";
import type { Notifier } from "./notifier.js";
import { postJson } from "./post-json.js";

/**
 * How long Alertmanager keeps a firing alert active without hearing of it again. deployslo
 * sends each transition once (it does not re-send every minute as Prometheus does), so a
 * firing alert carries an endsAt this far ahead, and the resolve moves endsAt to the resolve.
 */
export const FIRING_HORIZON_MS = 7 * 86_400_000;

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Alertmanager refuses label names outside [a-zA-Z_][a-zA-Z0-9_]*; others become underscores. */
export function labelName(name: string): string {
  if (LABEL_NAME.test(name)) return name;
  const cleaned = name.replace(/[^a-zA-Z0-9_]/g, "_");
  return /^[0-9]/.test(cleaned) ? `_${cleaned}` : cleaned;
}

function prometheusLabels(labels: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(labels)) out[labelName(name)] = value;
  return out;
}

/** One postable alert of Alertmanager's API v2. */
export function alertmanagerAlert(
  notification: AlertNotification,
  target: ResolvedTarget,
): Record<string, unknown> {
  const endsAt =
    notification.state === "resolved"
      ? (notification.endsAt ?? notification.at)
      : notification.at + FIRING_HORIZON_MS;
  const alert: Record<string, unknown> = {
    // The identifying labels come last: a label of the same name cannot change which alert this is.
    labels: {
      ...prometheusLabels(mergedLabels(notification, target)),
      alertname: notification.alert,
      slo: notification.slo,
      severity: notification.severity,
      // Constant from firing to resolve; a route may group_by it.
      ...(notification.incident === undefined ? {} : { incident: notification.incident }),
    },
    annotations: prometheusLabels({
      summary: summaryOf(notification),
      ...notification.annotations,
    }),
    startsAt: rfc3339(notification.startsAt),
    endsAt: rfc3339(endsAt),
  };
  const link = sloLink(notification, target);
  if (link !== null) alert.generatorURL = link;
  return alert;
}

/** `POST {url}/api/v2/alerts` with one alert; Alertmanager deduplicates by labels. */
export function alertmanagerNotifier(): Notifier<"alertmanager"> {
  return {
    async send(notification, target, signal) {
      await postJson({
        url: `${target.url.replace(/\/+$/, "")}/api/v2/alerts`,
        body: JSON.stringify([alertmanagerAlert(notification, target)]),
        timeoutMs: target.timeoutMs,
        signal,
      });
    },
  };
}
