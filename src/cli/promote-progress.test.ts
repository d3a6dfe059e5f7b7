import { describe, expect, it } from "vitest";
import type { StageReport } from "../runner/run-pipeline.js";
import { formatMs, PromoteProgress } from "./promote-progress.js";
import type { Style } from "./style.js";

const id = (text: string) => text;
const PLAIN: Style = { red: id, green: id, yellow: id, dim: id, bold: id };

const report = (fields: Partial<StageReport>): StageReport => ({
  name: "pull",
  kind: "active",
  status: "succeeded",
  startedAt: 1000,
  endedAt: 1400,
  tries: 1,
  error: null,
  attributes: {},
  rollback: false,
  log: [],
  ...fields,
});

describe("PromoteProgress", () => {
  it("prints one log line per event without a terminal", () => {
    let out = "";
    let now = 1000;
    const progress = new PromoteProgress({
      write: (t) => (out += t),
      now: () => now,
      tty: false,
      style: PLAIN,
      title: "iris 2 → demo",
      startedAt: 1000,
      thresholdMs: 30_000,
    });
    progress.onEvent({
      type: "stage-started",
      stage: "pull",
      kind: "active",
      at: 1000,
      rollback: false,
    });
    progress.onEvent({ type: "stage-log", stage: "pull", line: "pulled" });
    now = 1400;
    progress.onEvent({ type: "stage-finished", stage: report({}), at: 1400 });
    progress.stop();
    expect(out).toBe(
      "deployslo: [0ms] promoting iris 2 → demo (SLO threshold 30s)\n" +
        "deployslo: [0ms] pull: started\n" +
        "  [pull] pulled\n" +
        "deployslo: [400ms] pull: succeeded in 400ms\n",
    );
  });

  it("redraws stages in place on a terminal, with the time left", () => {
    let out = "";
    let now = 1000;
    const progress = new PromoteProgress({
      write: (t) => (out += t),
      now: () => now,
      tty: true,
      style: PLAIN,
      title: "iris 2 → demo",
      startedAt: 1000,
      thresholdMs: 30_000,
    });
    progress.onEvent({
      type: "stage-started",
      stage: "pull",
      kind: "active",
      at: 1000,
      rollback: false,
    });
    now = 3000;
    progress.onEvent({ type: "stage-finished", stage: report({ endedAt: 3000 }), at: 3000 });
    progress.stop();
    const frames = out.split("\u001b[2K");
    expect(frames.at(-2)).toBe("promoting iris 2 → demo · 2.00s · SLO 30s, 28.00s left\n");
    expect(frames.at(-1)).toBe("  ✓ pull       2.00s\n");
    expect(out).toContain("\u001b[2A");
  });

  it("formats durations for people", () => {
    expect([formatMs(412), formatMs(1520), formatMs(125_000)]).toEqual(["412ms", "1.52s", "2m05s"]);
  });
});
