import type { AlertNotification } from "../core/notification/alert-notification.js";
import type { ResolvedTarget } from "../core/notification/notification-target.js";

/** RFC 3339 in UTC with milliseconds, as the rest of the API writes times. */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString();
}

/** The target's labels under the notification's own (which win on a clash). */
export function mergedLabels(
  notification: AlertNotification,
  target: ResolvedTarget,
): Record<string, string> {
  return { ...target.labels, ...notification.labels };
}

/** A one-line summary: the `summary` annotation, or one made from the alert. */
export function summaryOf(notification: AlertNotification): string {
  const given = notification.annotations.summary;
  if (given !== undefined && given !== "") return given;
  const verb = notification.state === "firing" ? "is firing" : "resolved";
  return `SLO ${notification.slo}: alert ${notification.alert} (${notification.severity}) ${verb}`;
}

/** Link to the SLO on this deployslo service, when the target knows the service's URL. */
export function sloLink(notification: AlertNotification, target: ResolvedTarget): string | null {
  if (target.serviceUrl === null) return null;
  return `${target.serviceUrl}/api/v1/slos/${encodeURIComponent(notification.slo)}`;
}
