import { describe, expect, it } from "vitest";
import { makeAttempt, makeStage, SECOND, T0 } from "../../../test/support/make-attempt.js";
import { indicatorMeasurements } from "./indicator-measurements.js";

describe("indicatorMeasurements", () => {
  const attempt = makeAttempt({
    startedAt: T0,
    servingAt: T0 + 90 * SECOND,
    endedAt: T0 + 90 * SECOND,
    stages: [
      makeStage({ name: "provision", startedAt: T0, endedAt: T0 + 30 * SECOND }),
      makeStage({ name: "canary", startedAt: T0 + 90 * SECOND }),
    ],
    dependencies: [
      { name: "registry_pull", seconds: 4.5, at: null, attributes: {} },
      { name: "image_pull", seconds: 20, at: null, attributes: {} },
      { name: "registry_pull", seconds: 1.5, at: null, attributes: {} },
    ],
  });

  it("measures what each indicator names, not the deployment", () => {
    expect(indicatorMeasurements({ kind: "deployment" }, attempt)).toEqual([90_000]);
    expect(indicatorMeasurements({ kind: "stage", stage: "provision" }, attempt)).toEqual([30_000]);
    expect(indicatorMeasurements({ kind: "stage", stage: "canary" }, attempt)).toEqual([]);
    expect(
      indicatorMeasurements({ kind: "dependency", dependency: "registry_pull" }, attempt),
    ).toEqual([4500, 1500]);
  });

  it("has no deployment duration before the attempt served", () => {
    expect(indicatorMeasurements({ kind: "deployment" }, makeAttempt({ startedAt: T0 }))).toEqual(
      [],
    );
  });
});
