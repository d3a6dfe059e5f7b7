import { describe, expect, it } from "vitest";
import type { AttemptTrace } from "../../api-types.js";
import { waterfallScale } from "./waterfall-scale.js";

const T0 = Date.parse("2026-11-01T00:00:00Z");
const iso = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();

function trace(endSeconds: number, threshold: number): AttemptTrace {
  return {
    attempt: {
      id: "a",
      model: "m",
      version: "1",
      environment: "e",
      startedAt: iso(0),
      servingAt: iso(endSeconds),
      endedAt: iso(endSeconds),
      outcome: "succeeded",
      stages: [
        {
          name: "load",
          startedAt: iso(0),
          endedAt: iso(endSeconds),
          status: "succeeded",
          kind: "active",
        },
      ],
    },
    criticalPath: [0],
    slos: [{ name: "fast", thresholdSeconds: threshold }],
  };
}

describe("waterfallScale", () => {
  it("fits a short attempt instead of stretching it to a far threshold", () => {
    const scale = waterfallScale(trace(2.5, 8), T0);
    expect(scale.span).toBe(3);
    expect(scale.ticks.at(-1)).toBe(3);
    expect(scale.thresholdShown).toBe(false);
  });

  it("shows a threshold that falls within the attempt", () => {
    const scale = waterfallScale(trace(130, 120), T0);
    expect(scale.span).toBe(150);
    expect(scale.thresholdShown).toBe(true);
  });
});
