import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HOUR, MINUTE, makeAttempt, makeSlo, T0 } from "../../test/support/make-attempt.js";
import { openStore } from "../store/open-store.js";
import type { Store } from "../store/store.js";
import { getOverview } from "./get-overview.js";
import { SloEngine } from "./slo-engine.js";

let store: Store;
beforeEach(async () => {
  store = await openStore(":memory:");
});
afterEach(async () => {
  await store.close();
});

describe("getOverview", () => {
  it("marks attempts in progress for long as stale, with when they time out", async () => {
    const slo = makeSlo({ name: "deploys", thresholdMs: 30 * MINUTE });
    const engine = new SloEngine(store, [slo]);
    await store.upsertAttempts([
      makeAttempt({ id: "stuck", startedAt: T0 }),
      makeAttempt({ id: "late", startedAt: T0 + 2 * HOUR }),
      makeAttempt({ id: "own", startedAt: T0, attributes: { timeoutSeconds: 8 * 3600 } }),
    ]);
    const overview = await getOverview({
      ctx: { engine, store },
      input: { at: T0 + 3 * HOUR, filter: { model: null, environment: null }, scope: undefined },
    });
    const byId = new Map(overview.inProgress.map((a) => [a.id, a]));
    // 5 h timeout (10 × 30 m): stale after 2.5 h; "late" is past its threshold only.
    expect(byId.get("stuck")).toMatchObject({ stale: true, timeoutAt: "2026-10-01T15:00:00.000Z" });
    expect(byId.get("late")).toMatchObject({ stale: false, timeoutAt: "2026-10-01T17:00:00.000Z" });
    expect(byId.get("own")).toMatchObject({ stale: false, timeoutAt: "2026-10-01T18:00:00.000Z" });
  });

  it("lists a scoped reader's models by its attempts, also by a label no selector uses", async () => {
    // No selector names `team`, so series do not tell the teams apart.
    const engine = new SloEngine(store, [makeSlo({ name: "deploys" })]);
    const served = { servingAt: T0 + MINUTE };
    await store.upsertAttempts([
      makeAttempt({ id: "g1", model: "shared", labels: { team: "growth" }, ...served }),
      makeAttempt({ id: "r1", model: "shared", labels: { team: "risk" }, ...served }),
      makeAttempt({ id: "g2", model: "growth-only", labels: { team: "growth" }, ...served }),
    ]);
    const models = async (scope: { labels: Record<string, string[]> } | undefined) =>
      (
        await getOverview({
          ctx: { engine, store },
          input: { at: T0 + HOUR, filter: { model: null, environment: null }, scope },
        })
      ).models;
    expect(await models(undefined)).toEqual(["growth-only", "shared"]);
    expect(await models({ labels: { team: ["risk"] } })).toEqual(["shared"]);
    expect(await models({ labels: { team: ["nobody"] } })).toEqual([]);
  });
});
