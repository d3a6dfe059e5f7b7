import { describe, expect, it } from "vitest";
import { DAY, HOUR, MINUTE, makeAttempt, makeSlo, T0 } from "../../../test/support/make-attempt.js";
import { defaultInProgressTimeoutMs } from "../spec/in-progress-timeout.js";
import { staleInProgress } from "./stale-in-progress.js";
import { inProgressTimeout, timedOutAttempt } from "./timed-out-attempt.js";

const prod = makeSlo({
  name: "prod",
  thresholdMs: 30 * MINUTE,
  selector: { environment: "production", model: null, labels: {} },
});
const slow = makeSlo({ name: "slow", thresholdMs: 2 * HOUR, inProgressTimeoutMs: 6 * HOUR });

describe("the in-progress timeout", () => {
  it("defaults to ten times the threshold, within 1 h and 24 h", () => {
    expect(defaultInProgressTimeoutMs(30_000)).toBe(HOUR);
    expect(defaultInProgressTimeoutMs(30 * MINUTE)).toBe(5 * HOUR);
    expect(defaultInProgressTimeoutMs(4 * HOUR)).toBe(DAY);
  });

  it("is the attempt's own, else the longest of the SLOs that select it, else 24 h", () => {
    const running = makeAttempt({ startedAt: T0, environment: "production" });
    expect(inProgressTimeout(running, [prod, slow]).ms).toBe(6 * HOUR);
    expect(inProgressTimeout(running, [prod]).ms).toBe(5 * HOUR);
    expect(inProgressTimeout({ ...running, environment: "staging" }, [prod]).ms).toBe(DAY);
    const own = { ...running, attributes: { timeoutSeconds: 600 } };
    expect(inProgressTimeout(own, [prod, slow])).toEqual({
      ms: 10 * MINUTE,
      source: "the attempt's own timeout",
    });
  });
});

describe("timedOutAttempt", () => {
  const running = makeAttempt({
    id: "dead",
    startedAt: T0,
    environment: "production",
    stages: [
      {
        name: "deploy",
        startedAt: T0 + MINUTE,
        endedAt: null,
        status: "in_progress",
        kind: "active",
        attributes: {},
      },
    ],
  });

  it("leaves an attempt alone before its timeout, and a finished one always", () => {
    expect(timedOutAttempt(running, [prod], T0 + 5 * HOUR - 1)).toBeUndefined();
    const done = makeAttempt({ startedAt: T0, servingAt: T0 + MINUTE });
    expect(timedOutAttempt(done, [prod], T0 + 30 * DAY)).toBeUndefined();
  });

  it("ends it as timed_out at startedAt + timeout, whenever it is asked, with a reason", () => {
    for (const at of [T0 + 5 * HOUR, T0 + 13 * DAY]) {
      const ended = timedOutAttempt(running, [prod], at);
      expect(ended).toMatchObject({
        id: "dead",
        outcome: "timed_out",
        endedAt: T0 + 5 * HOUR,
        stages: [{ status: "timed_out", endedAt: T0 + 5 * HOUR }],
        attributes: {
          endReason:
            "no end was recorded within 5h (the in-progress timeout of SLO prod); ended by deployslo",
        },
      });
    }
  });
});

describe("staleInProgress", () => {
  const running = makeAttempt({ startedAt: T0, environment: "production" });
  it("warns once an attempt is past half its timeout, saying when it times out", () => {
    expect(staleInProgress(running, [prod, slow], T0 + 3 * HOUR)).toBeUndefined();
    expect(staleInProgress(running, [prod, slow], T0 + 3 * HOUR + 1)).toEqual({
      attempt: running,
      thresholdMs: 30 * MINUTE,
      timeoutAt: T0 + 6 * HOUR,
    });
  });
  it("does not warn for an attempt no deployment SLO selects", () => {
    expect(staleInProgress({ ...running, environment: "dev" }, [prod], T0 + DAY)).toBeUndefined();
  });
});
