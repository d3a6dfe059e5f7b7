import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type AlertState, stepAlert } from "./step-alert.js";

const key = { slo: "prod", alert: "fast-burn", severity: "page" } as const;

function run(
  conditions: readonly boolean[],
  forMs: number,
  stepMs = 60_000,
  settled?: (heldAt: number, at: number) => boolean,
) {
  let state: AlertState | undefined;
  const seen: string[] = [];
  conditions.forEach((holds, i) => {
    const at = i * stepMs;
    const settle = settled === undefined ? undefined : (heldAt: number) => settled(heldAt, at);
    const step = stepAlert(state, key, holds, forMs, at, settle);
    state = step.state;
    if (step.transition !== null) seen.push(`${step.transition.state}@${i}`);
  });
  return { seen, state };
}

describe("stepAlert", () => {
  it("fires at once without `for`, and resolves when the condition stops", () => {
    expect(run([false, true, true, false, false], 0).seen).toEqual(["firing@1", "resolved@3"]);
  });

  it("waits in pending for `for`, and drops back silently when the condition stops first", () => {
    expect(run([true, true, false, true, true, true], 120_000).seen).toEqual([
      "pending@0",
      "pending@3",
      "firing@5",
    ]);
    expect(run([true, false], 120_000).state?.state).toBe("inactive");
  });

  it("fires again after a resolution", () => {
    expect(run([true, false, true], 0).seen).toEqual(["firing@0", "resolved@1", "firing@2"]);
  });

  it("keeps the instant the state was entered", () => {
    expect(run([true, true, true], 0).state).toEqual({
      ...key,
      state: "firing",
      since: 0,
      heldAt: 120_000,
    });
  });

  it("keeps firing until the condition has stopped holding for the settling time", () => {
    const afterTwoSteps = (heldAt: number, at: number) => at - heldAt >= 120_000;
    expect(run([true, false, true, false, false, false], 0, 60_000, afterTwoSteps).seen).toEqual([
      "firing@0",
      "resolved@4",
    ]);
  });

  it("never resolves while the condition holds, whatever the settling rule says", () => {
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 0, max: 5 }),
        (conditions, forSteps, keepSteps) => {
          const settle = (heldAt: number, at: number) => at - heldAt >= keepSteps * 60_000;
          let state: AlertState | undefined;
          let lastHeld = Number.NEGATIVE_INFINITY;
          conditions.forEach((holds, i) => {
            const at = i * 60_000;
            const step = stepAlert(state, key, holds, forSteps * 60_000, at, (heldAt) =>
              settle(heldAt, at),
            );
            if (step.transition?.state === "resolved") {
              expect(holds).toBe(false);
              expect(at - lastHeld).toBeGreaterThanOrEqual(keepSteps * 60_000);
            }
            if (holds && state?.state === "firing") expect(step.state.state).toBe("firing");
            if (holds) lastHeld = at;
            state = step.state;
          });
        },
      ),
    );
  });
});
