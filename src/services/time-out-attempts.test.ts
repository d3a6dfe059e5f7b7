import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DAY, HOUR, MINUTE, makeAttempt, makeSlo, T0 } from "../../test/support/make-attempt.js";
import { parseSloSpecs } from "../core/spec/parse-slo-specs.js";
import { openStore } from "../store/open-store.js";
import type { Store } from "../store/store.js";
import { loadSampleData } from "./load-sample-data.js";
import { SloEngine } from "./slo-engine.js";
import { timeOutAttempts } from "./time-out-attempts.js";

const SAMPLE_SLOS = parseSloSpecs(readFileSync("examples/slos.yaml", "utf8"), "slos.yaml").slos;

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

  it("ends the sample's attempts in flight at their pipelines' deadlines", async () => {
    const now = T0 + 60 * DAY;
    await loadSampleData(store, now);
    const engine = new SloEngine(store, SAMPLE_SLOS);
    const running = await store.listAttempts({ outcome: "in_progress" }, { limit: 100 });
    expect(running.attempts.length).toBeGreaterThan(0);
    for (const attempt of running.attempts) {
      expect([45 * 60, 6 * 3600]).toContain(attempt.attributes.timeoutSeconds);
    }
    // Production pipelines give up after 6 h, staging after 45 m: after 6 h, none is left.
    const ended = await timeOutAttempts({ store, engine }, now + 6 * HOUR);
    expect(ended.map((a) => a.id).sort()).toEqual(running.attempts.map((a) => a.id).sort());
    expect((await engine.status(now + 6 * HOUR)).slos.every((s) => s.inProgress === 0)).toBe(true);
  });
});
