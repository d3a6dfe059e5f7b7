import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type HttpReceiver, startReceiver } from "../../test/support/http-receiver.js";
import { MINUTE, T0 } from "../../test/support/make-attempt.js";
import { makeNotification } from "../../test/support/make-notification.js";
import { makeTarget } from "../../test/support/make-target.js";
import { DeliveryError } from "./delivery-error.js";
import { pagerdutyDedupKey, pagerdutyNotifier } from "./pagerduty-notifier.js";

let receiver: HttpReceiver;
beforeEach(async () => {
  receiver = await startReceiver();
  receiver.fallback = { status: 202, body: '{"status":"success","message":"Event processed"}' };
});
afterEach(async () => {
  await receiver.close();
});

const signal = new AbortController().signal;

function target() {
  return makeTarget("pagerduty", `${receiver.url}/v2/enqueue`, {
    routingKey: "R0UT1NGKEY",
    labels: { team: "ml-platform" },
  });
}

describe("pagerdutyNotifier", () => {
  it("triggers, then resolves with the same dedup_key", async () => {
    const firing = makeNotification();
    const resolved = makeNotification({ state: "resolved" });
    await pagerdutyNotifier().send(firing, target(), signal);
    await pagerdutyNotifier().send(resolved, target(), signal);
    const [trigger, resolve] = receiver.requests.map((r) => {
      expect(r.method).toBe("POST");
      expect(r.path).toBe("/v2/enqueue");
      expect(r.headers["content-type"]).toBe("application/json");
      return JSON.parse(r.body) as Record<string, unknown>;
    });
    expect(trigger).toMatchObject({
      routing_key: "R0UT1NGKEY",
      event_action: "trigger",
      dedup_key: `deployslo/prod-deploys/fast-burn/${T0}`,
      payload: {
        summary: "prod-deploys: fast-burn firing",
        source: "deployslo/slo/prod-deploys",
        severity: "critical",
        timestamp: "2026-10-01T10:00:00.000Z",
        component: "prod-deploys",
        class: "fast-burn",
      },
      links: [{ href: "https://runbooks.example.com/deploy-latency", text: "Runbook" }],
    });
    expect(resolve).toEqual({
      routing_key: "R0UT1NGKEY",
      event_action: "resolve",
      dedup_key: trigger?.dedup_key,
    });
  });

  it("pages critical and tickets warning; a new episode gets a new dedup_key", async () => {
    await pagerdutyNotifier().send(makeNotification({ severity: "ticket" }), target(), signal);
    const body = JSON.parse(receiver.requests[0]?.body ?? "") as { payload: { severity: string } };
    expect(body.payload.severity).toBe("warning");
    expect(pagerdutyDedupKey(makeNotification({ startsAt: T0 + MINUTE }))).not.toBe(
      pagerdutyDedupKey(makeNotification()),
    );
    const long = makeNotification({ slo: "s".repeat(300) });
    expect(pagerdutyDedupKey(long).length).toBeLessThanOrEqual(255);
  });

  it("reports PagerDuty's 400 as permanent and its 429 as retryable", async () => {
    receiver.script({ status: 400, body: '{"status":"invalid event"}' }, { status: 429 });
    for (const retryable of [false, true]) {
      const error = await pagerdutyNotifier()
        .send(makeNotification(), target(), signal)
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(DeliveryError);
      expect((error as DeliveryError).retryable).toBe(retryable);
    }
  });
});
