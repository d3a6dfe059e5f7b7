import { createHash } from "node:crypto";
import type { AlertNotification } from "../core/notification/alert-notification.js";
import type { ResolvedPagerDutyTarget } from "../core/notification/notification-target.js";
import { mergedLabels, rfc3339, sloLink, summaryOf } from "./notification-text.js";
import type { Notifier } from "./notifier.js";
import { postJson } from "./post-json.js";

/** PagerDuty cuts summaries longer than this. */
const MAX_SUMMARY = 1024;

/**
 * The same for the trigger and the resolve of one incident (or, for notifications enqueued
 * before incidents existed, one alert episode: slo, alert, startsAt), and different for the next; at most 255 characters as PagerDuty requires.
 */
export function pagerdutyDedupKey(notification: AlertNotification): string {
  // The incident key: one PagerDuty incident for every SLO grouped into it.
  const episode =
    notification.incident ?? `${notification.slo}/${notification.alert}/${notification.startsAt}`;
  if (episode.length <= 200) return `deployslo/${episode}`;
  return `deployslo/${createHash("sha256").update(episode).digest("hex")}`;
}

/** An Events API v2 event: `trigger` when firing, `resolve` when resolved. */
export function pagerdutyEvent(
  notification: AlertNotification,
  target: ResolvedPagerDutyTarget,
): Record<string, unknown> {
  const base = {
    routing_key: target.routingKey,
    dedup_key: pagerdutyDedupKey(notification),
  };
  if (notification.state === "resolved") return { ...base, event_action: "resolve" };
  const link = sloLink(notification, target);
  const links: { href: string; text: string }[] = [];
  const runbook = notification.annotations.runbook_url;
  if (runbook !== undefined && runbook !== "") links.push({ href: runbook, text: "Runbook" });
  if (link !== null) links.push({ href: link, text: "SLO status" });
  return {
    ...base,
    event_action: "trigger",
    client: "deployslo",
    ...(link === null ? {} : { client_url: link }),
    payload: {
      summary: summaryOf(notification).slice(0, MAX_SUMMARY),
      source: `deployslo/slo/${notification.slo}`,
      severity: notification.severity === "page" ? "critical" : "warning",
      timestamp: rfc3339(notification.at),
      component: notification.slo,
      class: notification.alert,
      custom_details: {
        slo: notification.slo,
        alert: notification.alert,
        severity: notification.severity,
        startsAt: rfc3339(notification.startsAt),
        labels: mergedLabels(notification, target),
        annotations: notification.annotations,
      },
    },
    links,
  };
}

/** Sends to PagerDuty's Events API v2 (or the target's URL, for a proxy or a test). */
export function pagerdutyNotifier(): Notifier<"pagerduty"> {
  return {
    async send(notification, target, signal) {
      await postJson({
        url: target.url,
        body: JSON.stringify(pagerdutyEvent(notification, target)),
        timeoutMs: target.timeoutMs,
        signal,
      });
    },
  };
}
