import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DAY, HOUR, MINUTE, makeAttempt, makeSlo, T0 } from "../../test/support/make-attempt.js";
import { openStore } from "../store/open-store.js";
import type { Store } from "../store/store.js";
import { SloEngine } from "./slo-engine.js";
import { timeOutAttempts } from "./time-out-attempts.js";

let store: Store;
beforeEach(async () => {
  store = await openStore(":memory:");
});
afterEach(async () => {
  await store.close();
});

describe("timeOutAttempts", () => {
  const deploys = makeSlo({ name: "deploys", thresholdMs: HOUR });
  const excess = makeSlo({ name: "excess", thresholdMs: HOUR, budgeting: "excess-time" });

  it("records an attempt whose pipeline died as timed_out, so the budget stops burning", async () => {
    const engine = new SloEngine(store, [deploys, excess]);
    await store.upsertAttempts([
      makeAttempt({ id: "dead", startedAt: T0 }),
      makeAttempt({ id: "young", startedAt: T0 + 13 * DAY - HOUR }),
      makeAttempt({ id: "done", startedAt: T0, servingAt: T0 + 10 * MINUTE }),
    ]);
    const at = T0 + 13 * DAY;
    const before = await engine.status(at);
    expect(before.slos.map((s) => s.inProgress)).toEqual([2, 2]);

    const ended = await timeOutAttempts({ store, engine }, at);
    expect(ended.map((a) => a.id)).toEqual(["dead"]);
    const stored = await store.getAttempt("dead");
    expect(stored).toMatchObject({ outcome: "timed_out", endedAt: T0 + 10 * HOUR });
    expect(stored?.attributes.endReason).toBe(
      "no end was recorded within 10h (the in-progress timeout of SLO deploys); ended by deployslo",
    );
    const after = await engine.status(at);
    expect(after.slos[0]).toMatchObject({ inProgress: 1, bad: 1, good: 1 });
    // 10 h of the dead attempt, not 13 days; "young" is still within its threshold.
    expect(after.slos[1]?.errorBudget.consumed).toBe(10 * 3600);

    expect(await timeOutAttempts({ store, engine }, at + HOUR)).toEqual([]);
  });
});
