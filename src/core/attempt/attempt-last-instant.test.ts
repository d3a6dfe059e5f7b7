import { describe, expect, it } from "vitest";
import { HOUR, MINUTE, makeAttempt, makeStage, T0 } from "../../../test/support/make-attempt.js";
import { attemptLastInstant } from "./attempt-last-instant.js";

describe("attemptLastInstant", () => {
  const served = { startedAt: T0, servingAt: T0 + MINUTE };

  it("is the end, or the first inference of an attempt that succeeded without an end", () => {
    expect(attemptLastInstant(makeAttempt({ ...served, endedAt: T0 + HOUR }))).toBe(T0 + HOUR);
    expect(attemptLastInstant(makeAttempt(served))).toBe(T0 + MINUTE);
    const failed = makeAttempt({ startedAt: T0, endedAt: T0 + 2 * MINUTE, outcome: "failed" });
    expect(attemptLastInstant(failed)).toBe(T0 + 2 * MINUTE);
  });

  it("reaches to the latest stage and dependency sample", () => {
    const attempt = makeAttempt({
      ...served,
      stages: [makeStage({ name: "canary", startedAt: T0, endedAt: T0 + 3 * HOUR })],
      dependencies: [
        { name: "image_pull", seconds: 1, at: T0 + 5 * HOUR, attributes: {} },
        { name: "registry_pull", seconds: 1, at: null, attributes: {} },
      ],
    });
    expect(attemptLastInstant(attempt)).toBe(T0 + 5 * HOUR);
  });

  it("is null while the attempt or one of its stages is in progress", () => {
    expect(attemptLastInstant(makeAttempt({ startedAt: T0 }))).toBeNull();
    const openStage = makeAttempt({
      ...served,
      stages: [makeStage({ name: "canary", startedAt: T0 })],
    });
    expect(attemptLastInstant(openStage)).toBeNull();
  });
});
