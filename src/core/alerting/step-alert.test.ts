import { describe, expect, it } from "vitest";
import { type AlertState, stepAlert } from "./step-alert.js";

const key = { slo: "prod", alert: "fast-burn", severity: "page" } as const;

function run(conditions: readonly boolean[], forMs: number, stepMs = 60_000) {
  let state: AlertState | undefined;
  const seen: string[] = [];
  conditions.forEach((holds, i) => {
    const step = stepAlert(state, key, holds, forMs, i * stepMs);
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
    expect(run([true, true, true], 0).state).toEqual({ ...key, state: "firing", since: 0 });
  });
});
