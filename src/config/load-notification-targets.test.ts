import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { formatDiagnostic } from "../core/spec/diagnostic.js";
import {
  loadNotificationTargets,
  resolveNotificationTargets,
} from "./load-notification-targets.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "deployslo-targets-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const TARGETS = `apiVersion: deployslo/v1
kind: NotificationTarget
metadata: {name: ops}
spec: {type: webhook, url: "http://hooks.local/x", secret: {env: OPS_SECRET}}
---
apiVersion: deployslo/v1
kind: NotificationTarget
metadata: {name: pager}
spec: {type: pagerduty, routingKey: {env: PD_KEY}}
---
apiVersion: deployslo/v1
kind: NotificationTarget
metadata: {name: slack}
spec: {type: slack, url: {env: SLACK_URL}}
`;

describe("loadNotificationTargets and resolveNotificationTargets", () => {
  it("reads targets from files and their secrets from the environment", async () => {
    const file = join(dir, "targets.yaml");
    await writeFile(file, TARGETS);
    const loaded = await loadNotificationTargets([file]);
    expect(loaded.diagnostics).toEqual([]);
    const resolved = resolveNotificationTargets(loaded.targets, {
      OPS_SECRET: "s",
      PD_KEY: "k",
      SLACK_URL: "https://hooks.slack.com/services/T/B/X",
    });
    expect(resolved.diagnostics).toEqual([]);
    expect(resolved.targets.get("ops")).toMatchObject({ url: "http://hooks.local/x", secret: "s" });
    expect(resolved.targets.get("pager")).toMatchObject({
      url: "https://events.pagerduty.com/v2/enqueue",
      routingKey: "k",
    });
    expect(resolved.targets.get("slack")?.url).toBe("https://hooks.slack.com/services/T/B/X");
  });

  it("names each missing variable and never prints a value", async () => {
    const file = join(dir, "targets.yaml");
    await writeFile(file, TARGETS);
    const loaded = await loadNotificationTargets([file]);
    const resolved = resolveNotificationTargets(loaded.targets, {
      OPS_SECRET: "",
      SLACK_URL: "hooks.slack.com/not-a-url",
    });
    expect(resolved.targets.size).toBe(0);
    const lines = resolved.diagnostics.map(formatDiagnostic);
    expect(lines).toEqual([
      `${file}:1:1: error: spec.secret.env: notification target "ops": environment variable OPS_SECRET is not set`,
      `${file}:6:1: error: spec.routingKey.env: notification target "pager": environment variable PD_KEY is not set`,
      `${file}:11:1: error: spec.url.env: notification target "slack": the URL in its environment variable must start with http:// or https://`,
    ]);
    expect(lines.join("\n")).not.toContain("not-a-url");
  });

  it("reports a target name used in two files", async () => {
    await writeFile(join(dir, "a.yaml"), TARGETS);
    await writeFile(join(dir, "b.yaml"), TARGETS.split("---")[0] ?? "");
    const loaded = await loadNotificationTargets([join(dir, "a.yaml"), join(dir, "b.yaml")]);
    expect(loaded.diagnostics.map((d) => d.message)).toEqual([
      `notification target "ops" is already defined at ${join(dir, "a.yaml")}:1`,
    ]);
  });
});
