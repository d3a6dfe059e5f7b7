import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../spec/diagnostic.js";
import { checkTargetSet, parseNotificationTargets } from "./parse-notification-targets.js";

const valid = `apiVersion: deployslo/v1
kind: SLO
metadata: {name: prod-deploys}
spec: {objective: {threshold: 5m, target: 99%}}
---
apiVersion: deployslo/v1
kind: NotificationTarget
metadata:
  name: ops-webhook
spec:
  type: webhook
  url: https://hooks.example.com/deployslo
  secret: {env: DEPLOYSLO_WEBHOOK_SECRET}
  labels: {team: ml-platform}
  timeout: 5s
  serviceUrl: https://deployslo.example.com/
---
apiVersion: deployslo/v1
kind: NotificationTarget
metadata: {name: pager}
spec:
  type: pagerduty
  routingKey: {env: PD_ROUTING_KEY}
---
apiVersion: deployslo/v1
kind: NotificationTarget
metadata: {name: slack-ml}
spec:
  type: slack
  url: {env: SLACK_WEBHOOK_URL}
---
apiVersion: deployslo/v1
kind: NotificationTarget
metadata: {name: am}
spec: {type: alertmanager, url: "http://alertmanager:9093"}
`;

function messages(text: string): string[] {
  return parseNotificationTargets(text, "targets.yaml").diagnostics.map(formatDiagnostic);
}

function target(spec: string, name = "t"): string {
  return `apiVersion: deployslo/v1\nkind: NotificationTarget\nmetadata: {name: ${name}}\nspec:\n${spec}`;
}

describe("parseNotificationTargets", () => {
  it("reads every type and skips documents of other kinds", () => {
    const { targets, diagnostics } = parseNotificationTargets(valid, "targets.yaml");
    expect(diagnostics).toEqual([]);
    expect(targets).toEqual([
      {
        name: "ops-webhook",
        type: "webhook",
        url: { url: "https://hooks.example.com/deployslo" },
        secret: { env: "DEPLOYSLO_WEBHOOK_SECRET" },
        labels: { team: "ml-platform" },
        timeoutMs: 5_000,
        serviceUrl: "https://deployslo.example.com",
        source: { file: "targets.yaml", line: 6 },
      },
      {
        name: "pager",
        type: "pagerduty",
        url: null,
        routingKey: { env: "PD_ROUTING_KEY" },
        labels: {},
        timeoutMs: 10_000,
        serviceUrl: null,
        source: { file: "targets.yaml", line: 18 },
      },
      expect.objectContaining({ name: "slack-ml", url: { env: "SLACK_WEBHOOK_URL" } }),
      expect.objectContaining({ name: "am", url: { url: "http://alertmanager:9093" } }),
    ]);
    // A union by type: each target carries only its own type's fields.
    const [, , slack, am] = targets;
    expect(slack).not.toHaveProperty("secret");
    expect(slack).not.toHaveProperty("routingKey");
    expect(am).not.toHaveProperty("secret");
  });

  it("refuses secrets written inline, pointing at the field", () => {
    expect(messages(target("  type: webhook\n  url: http://h/x\n  secret: hunter2\n"))).toEqual([
      "targets.yaml:7:11: error: spec.secret: the secret must not be written in the file: give the environment variable that holds it, {env: VARIABLE}",
    ]);
    expect(
      messages(target("  type: pagerduty\n  routingKey: R0UT1NG\n")).some((m) =>
        m.includes("spec.routingKey: the routing key must not be written in the file"),
      ),
    ).toBe(true);
  });

  it("reports unknown fields with a hint, and fields of another type", () => {
    expect(messages(target("  type: webhook\n  url: http://h/x\n  secert: {env: S}\n"))).toEqual([
      "targets.yaml:5:3: warning: spec.secret: no secret: bodies go unsigned, so the receiver cannot tell them from forgeries",
      'targets.yaml:7:3: error: spec.secert: unknown field (did you mean "secret"?)',
    ]);
    expect(messages(target("  type: slack\n  url: {env: S}\n  routingKey: {env: K}\n"))).toEqual([
      "targets.yaml:7:3: error: spec.routingKey: is only for pagerduty targets",
    ]);
    expect(
      messages(`${target("  type: alertmanager\n  url: http://am:9093\n")}extra: 1\n`),
    ).toEqual([
      "targets.yaml:7:1: error: extra: unknown field (known fields: apiVersion, kind, metadata, spec)",
    ]);
  });

  it("checks type, url, env names, timeout, name and apiVersion", () => {
    expect(messages(target("  type: email\n  url: http://h\n"))).toEqual([
      'targets.yaml:5:9: error: spec.type: must be one of webhook, alertmanager, slack, pagerduty, got "email"',
    ]);
    expect(messages(target("  type: alertmanager\n"))).toEqual([
      "targets.yaml:5:3: error: spec.url: is required: where to send notifications",
    ]);
    expect(messages(target("  type: alertmanager\n  url: am:9093\n"))).toEqual([
      'targets.yaml:6:8: error: spec.url: must be an http:// or https:// URL, got "am:9093"',
    ]);
    expect(messages(target("  type: slack\n  url: {env: 9BAD}\n"))).toEqual([
      'targets.yaml:6:14: error: spec.url.env: "9BAD" is not an environment variable name',
    ]);
    expect(messages(target("  type: alertmanager\n  url: http://am\n  timeout: 10\n"))).toEqual([
      "targets.yaml:7:12: error: spec.timeout: 10 has no unit: write 10s, 10m or similar",
    ]);
    expect(messages(target("  type: alertmanager\n  url: http://am\n  timeout: 5m\n"))).toEqual([
      "targets.yaml:7:12: error: spec.timeout: must be from 100ms to 60s",
    ]);
    expect(messages(target("  type: pagerduty\n"))).toEqual([
      "targets.yaml:5:3: error: spec.routingKey: is required: {env: VARIABLE} holding the Events API v2 integration key",
    ]);
    expect(messages(target("  type: alertmanager\n  url: http://am\n", "Ops_Team"))).toEqual([
      'targets.yaml:3:18: error: metadata.name: "Ops_Team" must be 1–63 lowercase letters, digits or dashes, starting and ending with a letter or digit',
    ]);
    expect(
      messages(
        target("  type: alertmanager\n  url: http://am\n").replace("deployslo/v1", "deployslo/v2"),
      ),
    ).toEqual(['targets.yaml:1:13: error: apiVersion: must be deployslo/v1, got "deployslo/v2"']);
  });

  it("warns about a Slack webhook URL kept in the file", () => {
    const parsed = parseNotificationTargets(
      target("  type: slack\n  url: https://hooks.slack.com/services/T/B/X\n"),
      "t.yaml",
    );
    expect(parsed.targets.length).toBe(1);
    expect(parsed.diagnostics.map((d) => [d.severity, d.path])).toEqual([["warning", "spec.url"]]);
  });

  it("yields no target from a document with an error", () => {
    const parsed = parseNotificationTargets(
      target("  type: webhook\n  url: http://h\n  secret: inline\n"),
      "t.yaml",
    );
    expect(parsed.targets).toEqual([]);
  });
});

describe("checkTargetSet", () => {
  it("reports a name defined twice", () => {
    const a = parseNotificationTargets(
      target("  type: alertmanager\n  url: http://a\n", "ops"),
      "a.yaml",
    );
    const b = parseNotificationTargets(
      target("  type: alertmanager\n  url: http://b\n", "ops"),
      "b.yaml",
    );
    expect(checkTargetSet([...a.targets, ...b.targets]).map(formatDiagnostic)).toEqual([
      'b.yaml:1:1: error: metadata.name: notification target "ops" is already defined at a.yaml:1',
    ]);
  });
});
