import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/open-store.js";
import { makeNotification } from "../support/make-notification.js";
import { call, pollUntil, spawnServer, stopAllServers } from "../support/spawn-server.js";

// `deployslo serve` runs the notification delivery loop over the store's outbox.

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "deployslo-serve-notify-"));
});
afterEach(async () => {
  await stopAllServers();
  await rm(dir, { recursive: true, force: true });
});

interface Listed {
  notifications: { key: string; status: string; attempts: number; lastError: string | null }[];
}

describe("deployslo serve delivers the outbox", () => {
  it("tries a stored notification and shows why it failed", { timeout: 45_000 }, async () => {
    const database = join(dir, "store.db");
    const store = await openStore(database);
    // Enqueued at an old instant, so it is due at once; its target is not configured.
    const notification = makeNotification({ targets: ["ops"] });
    await store.enqueueNotifications([notification]);
    await store.close();

    const server = await spawnServer({ config: ["test/fixtures/slos.yaml"], database });
    const tried = await pollUntil(
      () => `a delivery attempt\n${server.logs()}`,
      async () => {
        const reply = await call(server.url, "GET", "/api/v1/notifications");
        const [first] = (reply.json as Listed).notifications;
        return first !== undefined && first.attempts > 0 ? first : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 100 },
    );
    expect(tried).toMatchObject({
      key: notification.key,
      status: "pending",
      lastError: 'no notification target named "ops" is configured',
    });
  });
});
