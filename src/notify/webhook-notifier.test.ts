import { createHmac, timingSafeEqual } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type HttpReceiver, startReceiver } from "../../test/support/http-receiver.js";
import { T0 } from "../../test/support/make-attempt.js";
import { makeNotification } from "../../test/support/make-notification.js";
import { makeTarget } from "../../test/support/make-target.js";
import { webhookNotifier } from "./webhook-notifier.js";

let receiver: HttpReceiver;
beforeEach(async () => {
  receiver = await startReceiver();
});
afterEach(async () => {
  await receiver.close();
});

const SENT_AT = T0 + 5_000;
const signal = new AbortController().signal;

/** What docs/notifications.md tells receivers to do, written as a receiver would. */
function verify(body: string, header: string | undefined, secret: string, nowMs: number): boolean {
  if (header === undefined || !header.startsWith("sha256=")) return false;
  const expected = createHmac("sha256", secret).update(body).digest();
  const given = Buffer.from(header.slice("sha256=".length), "hex");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
  const sentAt = Date.parse((JSON.parse(body) as { sentAt: string }).sentAt);
  return Math.abs(nowMs - sentAt) <= 5 * 60_000;
}

describe("webhookNotifier", () => {
  it("posts the notification as JSON, signed with HMAC-SHA256 of the body", async () => {
    const target = makeTarget("webhook", `${receiver.url}/deployslo?x=1`, {
      name: "ops-webhook",
      secret: "s3cret",
      labels: { team: "ops", env: "prod" },
      serviceUrl: "https://deployslo.example.com",
    });
    const notification = makeNotification({ labels: { team: "ml" } });
    await webhookNotifier({ now: () => SENT_AT }).send(notification, target, signal);
    const [request] = receiver.requests;
    expect(request?.method).toBe("POST");
    expect(request?.path).toBe("/deployslo?x=1");
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(request?.headers["x-deployslo-timestamp"]).toBe(String(SENT_AT / 1000));
    expect(request?.headers["x-deployslo-key"]).toBe(notification.key);
    const body = request?.body ?? "";
    expect(JSON.parse(body)).toEqual({
      version: "1",
      key: `prod-deploys/fast-burn/${T0}/firing`,
      kind: "alert",
      target: "ops-webhook",
      sentAt: "2026-10-01T10:00:05.000Z",
      slo: "prod-deploys",
      alert: "fast-burn",
      severity: "page",
      state: "firing",
      at: "2026-10-01T10:00:00.000Z",
      startsAt: "2026-10-01T10:00:00.000Z",
      endsAt: null,
      summary: "prod-deploys: fast-burn firing",
      labels: { team: "ml", env: "prod" },
      annotations: notification.annotations,
      url: "https://deployslo.example.com/api/v1/slos/prod-deploys",
    });
    const header = request?.headers["x-deployslo-signature"] as string | undefined;
    expect(verify(body, header, "s3cret", SENT_AT + 60_000)).toBe(true);
    expect(verify(body, header, "wrong", SENT_AT)).toBe(false);
    expect(verify(body.replace("firing", "resolved"), header, "s3cret", SENT_AT)).toBe(false);
    // A replay ten minutes later carries the old sentAt and is refused.
    expect(verify(body, header, "s3cret", SENT_AT + 10 * 60_000)).toBe(false);
  });

  it("sends without a signature header when the target has no secret", async () => {
    const notification = makeNotification({ state: "resolved" });
    await webhookNotifier({ now: () => SENT_AT }).send(
      notification,
      makeTarget("webhook", receiver.url),
      signal,
    );
    const [request] = receiver.requests;
    expect(request?.headers["x-deployslo-signature"]).toBeUndefined();
    expect(JSON.parse(request?.body ?? "")).toMatchObject({
      state: "resolved",
      endsAt: new Date(notification.endsAt ?? 0).toISOString(),
      url: null,
    });
  });
});
