import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DAY, HOUR, MINUTE, makeAttempt, makeSlo, T0 } from "../../test/support/make-attempt.js";
import { openStore } from "../store/open-store.js";
import type { Store } from "../store/store.js";
import { getSloHistogram } from "./get-slo-histogram.js";
import { SloEngine } from "./slo-engine.js";

let store: Store;
beforeEach(async () => {
  store = await openStore(":memory:");
});
afterEach(async () => {
  await store.close();
});

describe("SloEngine", () => {
  it("sees attempts stored after it was created, on the next status", async () => {
    const engine = new SloEngine(store, [makeSlo()]);
    expect((await engine.status(T0 + HOUR)).slos[0]?.eligible).toBe(0);
    await store.upsertAttempts([makeAttempt({ startedAt: T0, servingAt: T0 + MINUTE })]);
    expect((await engine.status(T0 + HOUR)).slos[0]?.eligible).toBe(1);
  });

  it("applies replaced attempts: an in-progress attempt that later fails", async () => {
    const engine = new SloEngine(store, [makeSlo()]);
    await store.upsertAttempts([makeAttempt({ id: "x", startedAt: T0 })]);
    expect((await engine.status(T0 + MINUTE)).slos[0]).toMatchObject({
      inProgress: 1,
      eligible: 0,
    });
    await store.upsertAttempts([
      makeAttempt({ id: "x", startedAt: T0, outcome: "failed", endedAt: T0 + 2 * MINUTE }),
    ]);
    expect((await engine.status(T0 + HOUR)).slos[0]).toMatchObject({ inProgress: 0, bad: 1 });
  });

  it("counts a resent or replaced attempt's dependency samples once, in status and histogram", async () => {
    const registry = makeSlo({
      thresholdMs: 30_000,
      indicator: { kind: "dependency", dependency: "registry_pull" },
    });
    const engine = new SloEngine(store, [registry]);
    const sample = (seconds: number) => ({
      name: "registry_pull",
      seconds,
      at: null,
      attributes: {},
    });
    const attempts = Array.from({ length: 20 }, (_v, i) =>
      makeAttempt({
        id: `r${i}`,
        startedAt: T0 + i * MINUTE,
        servingAt: T0 + i * MINUTE + 5 * MINUTE,
        dependencies: [sample(10 + i)],
      }),
    );
    const totals = async () => {
      const status = (await engine.status(T0 + DAY)).slos[0];
      const histogram = await getSloHistogram({
        ctx: { engine },
        input: { name: registry.name, at: T0 + DAY, scope: undefined },
      });
      return { eligible: status?.eligible, histogram: histogram.total + histogram.withoutDuration };
    };
    await store.upsertAttempts(attempts);
    expect(await totals()).toEqual({ eligible: 20, histogram: 20 });
    await store.upsertAttempts(attempts);
    await store.upsertAttempts(attempts);
    expect(await totals()).toEqual({ eligible: 20, histogram: 20 });
    // A correction with two samples instead of one replaces the first record's sample.
    const first = attempts[0];
    if (first === undefined) throw new Error("no attempt");
    await store.upsertAttempts([{ ...first, dependencies: [sample(1), sample(2)] }]);
    expect(await totals()).toEqual({ eligible: 21, histogram: 21 });
  });

  it("reloads SLOs with new stage indicators over the attempts already stored", async () => {
    const stage = {
      name: "provision",
      startedAt: T0,
      endedAt: T0 + MINUTE,
      status: "succeeded" as const,
      kind: "active" as const,
      attributes: {},
    };
    await store.upsertAttempts([
      makeAttempt({ startedAt: T0, servingAt: T0 + 2 * MINUTE, stages: [stage] }),
    ]);
    const engine = new SloEngine(store, [makeSlo()]);
    await engine.refresh();
    const provision = makeSlo({
      name: "provision",
      indicator: { kind: "stage", stage: "provision" },
    });
    const pending = engine.status(T0 + DAY);
    await engine.setSlos([provision]);
    expect((await pending).slos.map((s) => s.name)).toEqual(["test-slo"]);
    const after = await engine.status(T0 + DAY);
    expect(after.slos.map((s) => [s.name, s.eligible])).toEqual([["provision", 1]]);
    expect(engine.find("provision")).toBeDefined();
    expect(engine.find("test-slo")).toBeUndefined();
  });

  it("answers history points with the same numbers as status at those instants", async () => {
    await store.upsertAttempts([
      makeAttempt({ startedAt: T0, servingAt: T0 + MINUTE }),
      makeAttempt({ startedAt: T0 + HOUR, outcome: "failed", endedAt: T0 + HOUR + MINUTE }),
    ]);
    const slo = makeSlo();
    const engine = new SloEngine(store, [slo]);
    const ats = [T0 + 30 * MINUTE, T0 + 2 * HOUR];
    const history = await engine.history(slo, ats);
    for (const [i, at] of ats.entries())
      expect(history[i]).toEqual((await engine.status(at)).slos[0]);
  });
});
