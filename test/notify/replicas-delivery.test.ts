import { afterEach, beforeEach, expect, it } from "vitest";
import type { ResolvedTarget } from "../../src/core/notification/notification-target.js";
import { createNotifiers } from "../../src/notify/notifiers.js";
import { deliverDueNotifications } from "../../src/services/deliver-notifications.js";
import type { Store } from "../../src/store/store.js";
import { describeDialect } from "../store/describe-dialect.js";
import { DIALECTS } from "../store/dialects.js";
import { type HttpReceiver, startReceiver } from "../support/http-receiver.js";
import { T0 } from "../support/make-attempt.js";
import { makeNotification } from "../support/make-notification.js";
import { makeTarget } from "../support/make-target.js";

let receiver: HttpReceiver;
beforeEach(async () => {
  receiver = await startReceiver();
});
afterEach(async () => {
  await receiver.close();
});

const postgres = DIALECTS.filter((dialect) => dialect.name === "postgres");

for (const dialect of postgres) {
  describeDialect(dialect, (db) => {
    it("delivers each notification once while three replicas deliver at the same time", async () => {
      // A generous timeout: on a loaded machine a slow answer must not turn into a retry.
      const timeoutMs = 60_000;
      const targets = new Map<string, ResolvedTarget>([
        ["ops", makeTarget("webhook", `${receiver.url}/ops`, { name: "ops", timeoutMs })],
        ["am", makeTarget("alertmanager", `${receiver.url}/am`, { name: "am", timeoutMs })],
      ]);
      const replicas: Store[] = [await db.open(), await db.open(), await db.open()];
      const notifications = Array.from({ length: 40 }, (_, i) =>
        makeNotification({ alert: `rule-${i}`, targets: ["ops", "am"] }),
      );
      // Every replica's evaluator records the same transitions: the outbox keeps one of each.
      const added = await Promise.all(replicas.map((s) => s.enqueueNotifications(notifications)));
      expect(added.reduce((a, b) => a + b, 0)).toBe(80);
      const signal = new AbortController().signal;
      await Promise.all(
        replicas.map(async (store, i) => {
          const context = {
            store,
            targets: () => targets,
            notifiers: createNotifiers(() => T0),
            owner: `replica-${i}`,
            now: () => T0 + 60_000,
            random: () => 0.5,
          };
          for (;;) {
            const round = await deliverDueNotifications(context, signal, 5);
            if (round.claimed === 0) return;
          }
        }),
      );
      const sent = receiver.requests.map((r) => {
        const body = JSON.parse(r.body) as { key?: string } | { labels: { alertname: string } }[];
        return Array.isArray(body) ? `am:${body[0]?.labels.alertname}` : `ops:${body.key}`;
      });
      expect(sent.length).toBe(80);
      expect(new Set(sent).size).toBe(80);
      const delivered = await replicas[0]?.listNotificationDeliveries(
        { status: "delivered" },
        1000,
      );
      expect(delivered?.length).toBe(80);
      expect(delivered?.every((d) => d.attempts === 1)).toBe(true);
    });
  });
}
