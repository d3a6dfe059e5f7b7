import type { AlertNotification } from "../core/notification/alert-notification.js";
import type { ResolvedTarget } from "../core/notification/notification-target.js";
import { mergedLabels, rfc3339, sloLink, summaryOf } from "./notification-text.js";
import type { Notifier } from "./notifier.js";
import { postJson } from "./post-json.js";

const COLOURS = { page: "#d72b3f", ticket: "#e8912d", resolved: "#2eb67d" } as const;

/** Slack's mrkdwn treats these three characters as markup. */
function escapeMrkdwn(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

function colourOf(notification: AlertNotification): string {
  return notification.state === "resolved" ? COLOURS.resolved : COLOURS[notification.severity];
}

/** An incoming-webhook message: a fallback `text` and one coloured attachment of blocks. */
export function slackMessage(
  notification: AlertNotification,
  target: ResolvedTarget,
): Record<string, unknown> {
  const state = notification.state === "firing" ? "FIRING" : "RESOLVED";
  const title = `[${state}] ${summaryOf(notification)}`;
  const fields = [
    `*SLO*\n${escapeMrkdwn(notification.slo)}`,
    `*Alert*\n${escapeMrkdwn(notification.alert)} (${notification.severity})`,
    `*Started*\n${rfc3339(notification.startsAt)}`,
    notification.endsAt === null
      ? `*State*\nfiring since ${rfc3339(notification.startsAt)}`
      : `*Resolved*\n${rfc3339(notification.endsAt)}`,
  ];
  const blocks: Record<string, unknown>[] = [
    { type: "section", text: { type: "mrkdwn", text: `*${escapeMrkdwn(title)}*` } },
    { type: "section", fields: fields.map((text) => ({ type: "mrkdwn", text })) },
  ];
  const description = notification.annotations.description;
  if (description !== undefined && description !== "") {
    blocks.push({ type: "section", text: { type: "mrkdwn", text: escapeMrkdwn(description) } });
  }
  const links: string[] = [];
  const runbook = notification.annotations.runbook_url;
  if (runbook !== undefined && runbook !== "") links.push(`<${runbook}|Runbook>`);
  const link = sloLink(notification, target);
  if (link !== null) links.push(`<${link}|SLO status>`);
  const labels = Object.entries(mergedLabels(notification, target))
    .map(([name, value]) => `${escapeMrkdwn(name)}=${escapeMrkdwn(value)}`)
    .join(", ");
  const incident =
    notification.incident === undefined ? [] : [`incident ${escapeMrkdwn(notification.incident)}`];
  const context = [...links, ...incident, ...(labels === "" ? [] : [labels])];
  if (context.length > 0) {
    blocks.push({
      type: "context",
      elements: [{ type: "mrkdwn", text: context.join(" · ") }],
    });
  }
  return { text: escapeMrkdwn(title), attachments: [{ color: colourOf(notification), blocks }] };
}

/** Posts a readable message to a Slack incoming webhook; red page, orange ticket, green resolved. */
export function slackNotifier(): Notifier<"slack"> {
  return {
    async send(notification, target, signal) {
      await postJson({
        url: target.url,
        body: JSON.stringify(slackMessage(notification, target)),
        timeoutMs: target.timeoutMs,
        signal,
      });
    },
  };
}
