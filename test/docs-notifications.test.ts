import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { notificationKey } from "../src/core/notification/alert-notification.js";
import type { ResolvedTarget } from "../src/core/notification/notification-target.js";
import { parseNotificationTargets } from "../src/core/notification/parse-notification-targets.js";
import { freezeUnblock } from "../src/core/policy/budget-standing.js";
import { freezeStarted } from "../src/core/policy/freeze-notification.js";
import { DEFAULT_POLICY } from "../src/core/spec/gate-policy.js";
import { alertmanagerAlert } from "../src/notify/alertmanager-notifier.js";
import { slackMessage } from "../src/notify/slack-notifier.js";
import { webhookBody } from "../src/notify/webhook-notifier.js";
import { makeSlo } from "./support/make-attempt.js";
import { makeNotification } from "./support/make-notification.js";

const doc = readFileSync("docs/notifications.md", "utf8");

function block(heading: string, language: string): string {
  const section = doc.slice(doc.indexOf(heading));
  const found = new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``).exec(section)?.[1];
  expect(
    found,
    `docs/notifications.md lost its ${language} example under ${heading}`,
  ).toBeDefined();
  return found ?? "";
}

// The example of the page: alert fast-burn of prod-deploys, firing at 09:12.
const startsAt = Date.parse("2026-10-14T09:12:00Z");
const example = makeNotification({
  key: notificationKey("prod-deploys", "fast-burn", startsAt, "firing"),
  startsAt,
  at: startsAt,
  annotations: {
    summary: "prod-deploys is burning its error budget 14.4× too fast",
    runbook_url: "https://runbooks.example.com/deploy-latency",
  },
});
const target = (name: string): ResolvedTarget => ({
  name,
  type: "webhook",
  url: "https://hooks.example.com/deployslo",
  secret: "s",
  labels: { env: "production" },
  timeoutMs: 10_000,
  serviceUrl: "https://deployslo.example.com",
});

describe("docs/notifications.md", () => {
  it("has target examples that parse without a finding", () => {
    const parsed = parseNotificationTargets(block("## Notification targets", "yaml"), "doc.yaml");
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.targets.map((t) => t.type)).toEqual([
      "webhook",
      "alertmanager",
      "slack",
      "pagerduty",
    ]);
  });

  it("shows the payloads exactly as the notifiers build them", () => {
    expect(JSON.parse(block("### Webhook", "json"))).toEqual(
      webhookBody(example, target("ops-webhook"), Date.parse("2026-10-14T09:12:03.250Z")),
    );
    expect(JSON.parse(block("### Alertmanager", "json"))).toEqual([
      alertmanagerAlert(example, target("alertmanager")),
    ]);
    expect(JSON.parse(block("### Slack", "json"))).toEqual(
      slackMessage(example, target("ml-platform-slack")),
    );
  });

  it("shows a freeze's webhook body exactly as it is built", () => {
    const base = makeSlo({ name: "prod-deploys" });
    const slo = { ...base, alerting: { ...base.alerting, notify: ["ops-webhook"] } };
    const frozen = freezeStarted(
      slo,
      {
        state: "frozen",
        reason: "frozen",
        unblock: freezeUnblock(DEFAULT_POLICY),
        remainingRatio: -0.25,
        approvalBelow: null,
        freezeWhenExhausted: true,
        exempt: ["hotfix", "rollback"],
        declared: false,
        reportOnly: false,
      },
      {
        eligible: 64,
        bad: 4,
        windowStart: "2026-09-14T09:12:00.000Z",
        windowEnd: "2026-10-14T09:12:00.000Z",
      },
      startsAt,
    );
    expect(frozen).not.toBeNull();
    if (frozen === null) return;
    expect(JSON.parse(block("## Freezes and approvals", "json"))).toEqual(
      webhookBody(frozen, target("ops-webhook"), Date.parse("2026-10-14T09:12:03.250Z")),
    );
  });
});
