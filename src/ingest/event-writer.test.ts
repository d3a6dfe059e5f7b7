import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AttemptEvent } from "../core/attempt/attempt-event.js";
import { openStore } from "../store/open-store.js";
import type { Store } from "../store/store.js";
import { EventWriter } from "./event-writer.js";

const T = Date.UTC(2026, 9, 14, 9);
const started = (id: string, attemptId: string): AttemptEvent => ({
  id,
  type: "attempt.started",
  attemptId,
  at: T,
  model: "m",
  version: "1",
  environment: "production",
  labels: {},
  attributes: {},
});
const serving = (id: string, attemptId: string): AttemptEvent => ({
  id,
  type: "attempt.serving",
  attemptId,
  at: T + 60_000,
});

let store: Store;
beforeEach(async () => {
  store = await openStore(":memory:");
});
afterEach(async () => {
  await store.close();
});

describe("EventWriter", () => {
  it("writes concurrent requests in shared transactions and answers each with its own counts", async () => {
    let transactions = 0;
    const counting: Store = Object.create(store, {
      appendEvents: {
        value: (...args: Parameters<Store["appendEvents"]>) => {
          transactions++;
          return store.appendEvents(...args);
        },
      },
    });
    const writer = new EventWriter(counting);
    const results = await Promise.all([
      writer.write([started("a1", "a"), serving("a2", "a")]),
      writer.write([started("b1", "b")]),
      writer.write([started("a1", "a"), started("c1", "c")]),
      writer.write([serving("b2", "b")]),
    ]);
    expect(results).toEqual([
      { accepted: 2, duplicates: 0, attempts: 1 },
      { accepted: 1, duplicates: 0, attempts: 1 },
      { accepted: 1, duplicates: 1, attempts: 1 },
      { accepted: 1, duplicates: 0, attempts: 1 },
    ]);
    // The first request is written alone; the three that arrived meanwhile share one commit.
    expect(transactions).toBe(2);
    expect((await store.getAttempt("a"))?.servingAt).toBe(T + 60_000);
    expect((await store.getAttempt("b"))?.outcome).toBe("succeeded");
    expect(await store.getAttempt("c")).toBeDefined();
  });

  it("rejects every request of a group whose transaction fails, and goes on with later ones", async () => {
    let fail = true;
    const flaky: Store = Object.create(store, {
      appendEvents: {
        value: (...args: Parameters<Store["appendEvents"]>) => {
          if (fail) {
            fail = false;
            return Promise.reject(new Error("database went away"));
          }
          return store.appendEvents(...args);
        },
      },
    });
    const writer = new EventWriter(flaky);
    await expect(writer.write([started("x1", "x")])).rejects.toThrow("database went away");
    await expect(writer.write([started("x1", "x")])).resolves.toEqual({
      accepted: 1,
      duplicates: 0,
      attempts: 1,
    });
  });
});

describe("EventWriter limits", () => {
  const stage = (n: number, attemptId: string): AttemptEvent => ({
    id: `${attemptId}-s${n}`,
    type: "stage.started",
    attemptId,
    at: T + n,
    stage: `stage-${n}`,
    kind: "active",
    attributes: {},
  });

  it("refuses events that would grow one attempt past the stage limit, storing none of them", async () => {
    const writer = new EventWriter(store, {
      labels: 64,
      attributes: 64,
      stages: 3,
      dependencies: 10,
    });
    await writer.write([started("a1", "a"), stage(1, "a"), stage(2, "a"), stage(3, "a")]);
    await expect(writer.write([stage(4, "a")])).rejects.toMatchObject({
      code: "EVENT_INVALID",
      message: "attempt a would have 4 stages, more than the limit of 3",
    });
    expect((await store.getAttempt("a"))?.stages).toHaveLength(3);
    // Each event is valid alone, so one batch of many is caught the same way.
    await expect(
      writer.write([started("b1", "b"), ...[1, 2, 3, 4, 5].map((n) => stage(n, "b"))]),
    ).rejects.toMatchObject({ code: "EVENT_INVALID" });
    expect(await store.getAttempt("b")).toBeUndefined();
  });

  it("refuses only the request at fault when it was grouped with others", async () => {
    const writer = new EventWriter(store, {
      labels: 64,
      attributes: 64,
      stages: 2,
      dependencies: 10,
    });
    const results = await Promise.allSettled([
      writer.write([started("c1", "c"), serving("c2", "c")]),
      writer.write([started("d1", "d"), stage(1, "d"), stage(2, "d"), stage(3, "d")]),
      writer.write([started("e1", "e"), stage(1, "e")]),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(await store.getAttempt("c")).toMatchObject({ outcome: "succeeded" });
    expect(await store.getAttempt("d")).toBeUndefined();
    expect((await store.getAttempt("e"))?.stages).toHaveLength(1);
  });
});
