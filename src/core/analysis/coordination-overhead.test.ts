import { describe, expect, it } from "vitest";
import { generatedAttempts, HISTORY_START } from "../../../test/support/generated-attempts.js";
import { DAY, makeAttempt, makeStage, SECOND, T0 } from "../../../test/support/make-attempt.js";
import { coordinationOverhead } from "./coordination-overhead.js";

function attempt(team: string, day: number, waitSeconds: number, activeSeconds: number) {
  const start = T0 + day * DAY;
  const waitEnd = start + waitSeconds * SECOND;
  const served = waitEnd + activeSeconds * SECOND;
  return makeAttempt({
    startedAt: start,
    servingAt: served,
    endedAt: served + 600 * SECOND,
    labels: { team },
    stages: [
      makeStage({ name: "approval", kind: "wait", startedAt: start, endedAt: waitEnd }),
      makeStage({ name: "deploy", startedAt: waitEnd, endedAt: served }),
      // After the first inference: never counted.
      makeStage({ name: "bake", kind: "wait", startedAt: served, endedAt: served + 600 * SECOND }),
    ],
  });
}

describe("coordinationOverhead", () => {
  it("splits the time before the end point into wait and active, per team and period", () => {
    const result = coordinationOverhead({
      attempts: [attempt("a", 0, 30, 10), attempt("a", 0, 50, 10), attempt("b", 8, 0, 20)],
      groupBy: "team",
      from: T0,
      to: T0 + 14 * DAY,
      bucketMs: 7 * DAY,
    });
    expect(result.total).toMatchObject({
      attempts: 3,
      waitSeconds: 80,
      activeSeconds: 40,
      betweenSeconds: 0,
    });
    expect(result.total.waitShare).toBeCloseTo(80 / 120, 12);
    expect(result.groups.map((g) => [g.value, g.waitSeconds, g.meanWaitSeconds])).toEqual([
      ["a", 80, 40],
      ["b", 0, 0],
    ]);
    expect(result.waitStages.map((s) => s.stage)).toEqual(["approval"]);
    expect(result.waitStages[0]?.durations.p50).toBe(30);
    expect(result.trend.map((p) => p.waitSeconds)).toEqual([80, 0]);
  });

  it("on a generated history, finds approval waits only in production, longest for human sign-offs", () => {
    const attempts = generatedAttempts({ seed: 8 });
    const result = coordinationOverhead({
      attempts,
      groupBy: "team",
      from: HISTORY_START,
      to: HISTORY_START + 30 * DAY,
      bucketMs: 7 * DAY,
    });
    expect(result.waitStages.map((s) => s.stage)).toEqual(["approval"]);
    const staging = coordinationOverhead({
      attempts: attempts.filter((a) => a.environment === "staging"),
      groupBy: "team",
      from: HISTORY_START,
      to: HISTORY_START + 30 * DAY,
      bucketMs: 7 * DAY,
    });
    expect(staging.total.waitSeconds).toBe(0);
    // risk (70% human sign-off) waits more per attempt than growth (10%), by construction.
    const mean = (team: string) =>
      result.groups.find((g) => g.value === team)?.meanWaitSeconds ?? 0;
    expect(mean("risk")).toBeGreaterThan(3 * mean("growth"));
    expect(result.trend).toHaveLength(5);
  });
});
