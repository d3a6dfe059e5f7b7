import { describe, expect, it } from "vitest";
import { makeStage, SECOND, T0 } from "../../../test/support/make-attempt.js";
import { slowestStage } from "./stage-durations.js";

describe("slowestStage", () => {
  const stages = [
    makeStage({ name: "provision", startedAt: T0, endedAt: T0 + 60 * SECOND }),
    makeStage({ name: "shift-traffic", startedAt: T0 + 60 * SECOND, endedAt: T0 + 95 * SECOND }),
    makeStage({ name: "canary", startedAt: T0 + 90 * SECOND, endedAt: T0 + 700 * SECOND }),
  ];

  it("names only a stage that ended by the end point", () => {
    expect(slowestStage(stages, T0 + 90 * SECOND)).toEqual({ name: "provision", seconds: 60 });
  });

  it("looks at every ended stage without an end point", () => {
    expect(slowestStage(stages)).toEqual({ name: "canary", seconds: 610 });
  });
});
