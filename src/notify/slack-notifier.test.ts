import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type HttpReceiver, startReceiver } from "../../test/support/http-receiver.js";
import { makeNotification } from "../../test/support/make-notification.js";
import { makeTarget } from "../../test/support/make-target.js";
import { slackNotifier } from "./slack-notifier.js";

let receiver: HttpReceiver;
beforeEach(async () => {
  receiver = await startReceiver();
});
afterEach(async () => {
  await receiver.close();
});

const signal = new AbortController().signal;

interface SlackBody {
  text: string;
  attachments: { color: string; blocks: { type: string; text?: { text: string } }[] }[];
}

async function sent(notification = makeNotification()): Promise<SlackBody> {
  const target = makeTarget("slack", `${receiver.url}/services/T0/B0/XYZ`, {
    serviceUrl: "https://deployslo.example.com",
  });
  await slackNotifier().send(notification, target, signal);
  const request = receiver.requests.at(-1);
  expect(request?.method).toBe("POST");
  expect(request?.path).toBe("/services/T0/B0/XYZ");
  expect(request?.headers["content-type"]).toBe("application/json");
  return JSON.parse(request?.body ?? "") as SlackBody;
}

describe("slackNotifier", () => {
  it("posts a readable message coloured by state and severity", async () => {
    const page = await sent();
    expect(page.text).toBe("[FIRING] prod-deploys: fast-burn firing");
    expect(page.attachments[0]?.color).toBe("#d72b3f");
    const text = JSON.stringify(page.attachments[0]?.blocks);
    expect(text).toContain("<https://runbooks.example.com/deploy-latency|Runbook>");
    expect(text).toContain("<https://deployslo.example.com/api/v1/slos/prod-deploys|SLO status>");
    expect(text).toContain("team=ml-platform");

    expect((await sent(makeNotification({ severity: "ticket" }))).attachments[0]?.color).toBe(
      "#e8912d",
    );
    const resolved = await sent(makeNotification({ state: "resolved" }));
    expect(resolved.text).toMatch(/^\[RESOLVED\] /);
    expect(resolved.attachments[0]?.color).toBe("#2eb67d");
    expect(JSON.stringify(resolved.attachments[0]?.blocks)).toContain("*Resolved*");
  });

  it("escapes Slack markup in names and annotations", async () => {
    const body = await sent(
      makeNotification({ annotations: { summary: "p95 <5m & rising", description: "a<b>" } }),
    );
    expect(body.attachments[0]?.blocks[0]?.text?.text).toBe("*[FIRING] p95 &lt;5m &amp; rising*");
    expect(JSON.stringify(body)).toContain("a&lt;b&gt;");
  });
});
