import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type HttpReceiver, startReceiver } from "../../test/support/http-receiver.js";
import { SECOND, T0 } from "../../test/support/make-attempt.js";
import { makeNotification } from "../../test/support/make-notification.js";
import { makeTarget } from "../../test/support/make-target.js";
import { systemClock } from "../clock/clock.js";
import type { ResolvedTarget } from "../core/notification/notification-target.js";
import { startDeliveryLoop } from "../jobs/start-delivery-loop.js";
import { createNotifiers } from "../notify/notifiers.js";
import { openStore } from "../store/open-store.js";
import type { Store } from "../store/store.js";
import { type DeliveryContext, deliverDueNotifications } from "./deliver-due-notifications.js";
import { silentLogger } from "./service-logger.js";

let receiver: HttpReceiver;
let store: Store;
let clock: number;

beforeEach(async () => {
  receiver = await startReceiver();
  store = await openStore(":memory:");
  clock = T0;
});
afterEach(async () => {
  await receiver.close();
  await store.close();
});

const virtualClock = { now: () => clock, sleep: systemClock.sleep };

function context(targets: ResolvedTarget[], overrides: Partial<DeliveryContext> = {}) {
  const byName = new Map(targets.map((t) => [t.name, t]));
  return {
    store,
    targets: () => byName,
    notifiers: createNotifiers(virtualClock),
    clock: virtualClock,
    random: () => 0,
    logger: silentLogger,
    policy: { maxAttempts: 4, baseDelayMs: 10 * SECOND, maxDelayMs: 60 * SECOND },
    ...overrides,
  } satisfies DeliveryContext;
}

const input = { owner: "replica-1", signal: new AbortController().signal };
const ops = () => makeTarget("webhook", `${receiver.url}/hook`, { name: "ops", timeoutMs: 300 });

async function only() {
  const [delivery, ...rest] = await store.listNotificationDeliveries({}, 10);
  expect(rest).toEqual([]);
  return delivery;
}

describe("deliverDueNotifications", () => {
  it("delivers once; enqueueing the same transition again sends nothing", async () => {
    const ctx = context([ops()]);
    await store.enqueueNotifications([makeNotification()]);
    expect(await deliverDueNotifications({ ctx, input })).toEqual({
      claimed: 1,
      delivered: 1,
      retrying: 0,
      dead: 0,
    });
    await store.enqueueNotifications([makeNotification()]);
    clock += 60 * SECOND;
    expect((await deliverDueNotifications({ ctx, input })).claimed).toBe(0);
    expect(receiver.requests.length).toBe(1);
    expect(await only()).toMatchObject({ status: "delivered", attempts: 1, deliveredAt: T0 });
  });

  it("retries a 500 and a timeout with growing pauses, then delivers", async () => {
    const ctx = context([ops()]);
    receiver.script({ status: 500, body: "boom" }, "hang", { status: 200 });
    await store.enqueueNotifications([makeNotification()]);
    expect((await deliverDueNotifications({ ctx, input })).retrying).toBe(1);
    // random() = 0: half the exponential delay (10 s, 20 s…), so 5 s then 10 s.
    expect(await only()).toMatchObject({
      status: "pending",
      attempts: 1,
      nextAttemptAt: T0 + 5 * SECOND,
      lastStatus: 500,
      lastError: `${new URL(receiver.url).host} answered HTTP 500: boom`,
    });
    clock = T0 + 5 * SECOND - 1;
    expect((await deliverDueNotifications({ ctx, input })).claimed).toBe(0);
    clock = T0 + 5 * SECOND;
    expect((await deliverDueNotifications({ ctx, input })).retrying).toBe(1);
    expect(await only()).toMatchObject({
      attempts: 2,
      nextAttemptAt: clock + 10 * SECOND,
      lastStatus: null,
      lastError: expect.stringMatching(/did not answer within 300 ms/),
    });
    clock += 10 * SECOND;
    expect((await deliverDueNotifications({ ctx, input })).delivered).toBe(1);
    expect(await only()).toMatchObject({ status: "delivered", attempts: 3, lastError: null });
    expect(receiver.requests.length).toBe(3);
  });

  it("gives up at once on a 400", async () => {
    const ctx = context([ops()]);
    receiver.script({ status: 400, body: "bad payload" });
    await store.enqueueNotifications([makeNotification()]);
    expect((await deliverDueNotifications({ ctx, input })).dead).toBe(1);
    expect(await only()).toMatchObject({ status: "dead", attempts: 1, lastStatus: 400 });
    clock += 3_600_000;
    expect((await deliverDueNotifications({ ctx, input })).claimed).toBe(0);
    expect(receiver.requests.length).toBe(1);
  });

  it("marks a delivery dead after the policy's attempts", async () => {
    const ctx = context([ops()]);
    receiver.fallback = { status: 503 };
    await store.enqueueNotifications([makeNotification()]);
    const outcomes: string[] = [];
    for (let round = 0; round < 4; round++) {
      const result = await deliverDueNotifications({ ctx, input });
      outcomes.push(result.dead > 0 ? "dead" : result.retrying > 0 ? "retrying" : "idle");
      clock += 60 * SECOND;
    }
    expect(outcomes).toEqual(["retrying", "retrying", "retrying", "dead"]);
    expect(await store.listNotificationDeliveries({ status: "dead" }, 10)).toEqual([
      expect.objectContaining({ attempts: 4, lastStatus: 503 }),
    ]);
    clock += 3_600_000;
    expect((await deliverDueNotifications({ ctx, input })).claimed).toBe(0);
    expect(receiver.requests.length).toBe(4);
  });

  it("keeps retrying a target that is not configured, saying so", async () => {
    const ctx = context([]);
    await store.enqueueNotifications([makeNotification({ targets: ["gone"] })]);
    expect((await deliverDueNotifications({ ctx, input })).retrying).toBe(1);
    expect((await only())?.lastError).toBe('no notification target named "gone" is configured');
  });

  it("sends to every target of a notification, each with its own result", async () => {
    const pager = makeTarget("pagerduty", `${receiver.url}/v2/enqueue`, {
      name: "pager",
      routingKey: "K",
    });
    const ctx = context([ops(), pager]);
    receiver.fallback = { status: 202 };
    await store.enqueueNotifications([makeNotification({ targets: ["ops", "pager"] })]);
    expect((await deliverDueNotifications({ ctx, input })).delivered).toBe(2);
    expect(receiver.requests.map((r) => r.path).sort()).toEqual(["/hook", "/v2/enqueue"]);
  });
});

describe("startDeliveryLoop", () => {
  it("delivers what is enqueued while it runs, and stops", async () => {
    const loop = startDeliveryLoop(context([ops()], { clock: systemClock }), "replica-1", {
      intervalMs: 10,
      maxBackoffMs: 100,
    });
    await store.enqueueNotifications([makeNotification()]);
    // Waits for the outcome to be recorded, not for the request to arrive: stopping between
    // the two aborts the send, and the delivery is rightly left pending for a retry.
    const deadline = Date.now() + 30_000;
    while ((await only())?.status !== "delivered" && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await loop.stop();
    expect(receiver.requests.length).toBe(1);
    expect((await only())?.status).toBe("delivered");
  });
});
