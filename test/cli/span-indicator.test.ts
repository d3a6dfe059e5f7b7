import { describe, expect, it } from "vitest";
import { EvaluationResultSchema } from "../../src/contract/evaluation-result-schema.js";
import { runCliCaptured } from "../support/capture-io.js";

const ARGV = [
  "evaluate",
  "-c",
  "test/fixtures/span-slos.yaml",
  "-d",
  "test/fixtures/span-attempts.ndjson",
  "--at",
  "2026-10-14T09:30:00Z",
];

describe("evaluate with indicators from and to stages, and attribute selectors", () => {
  it("counts each SLO as its fixture's comments construct it", async () => {
    const run = await runCliCaptured([...ARGV, "--format", "json"]);
    expect(run.exitCode, run.stderr).toBe(0);
    const result = EvaluationResultSchema.parse(JSON.parse(run.stdout));
    const counts = Object.fromEntries(
      result.slos.map((slo) => [
        slo.name,
        [slo.good, slo.bad, slo.inProgress, slo.percentiles.p50, slo.percentiles.max],
      ]),
    );
    expect(counts).toEqual({
      // s3 (4 m) good; s1 36 m and s2 17 m slow, s4 failed, s5 30 m in and still running.
      "prod-deploys": [1, 4, 1, 1020, 2160],
      // From the approval's end: s1 6 m good, s2 15 m slow, s4 failed, s5 20 m in; s3 had none.
      "after-approval": [1, 3, 1, 360, 900],
      // To 100% of traffic: s1 8 m, s2 18 m; s4 failed before shifting; s5 still running.
      "approval-to-full-traffic": [1, 3, 1, 480, 1080],
      // Only the attempts whose provision stage says coldStart: s1, s3, s4, s5.
      "cold-starts": [1, 3, 1, 240, 2160],
    });
    expect(result.slos[1]?.indicator).toEqual({
      type: "span",
      from: { stage: "approval", at: "end" },
      to: null,
    });
  });

  it("names the points in the table", async () => {
    const run = await runCliCaptured(ARGV);
    expect(run.stdout).toContain("after-approval (approval end → first inference)");
    expect(run.stdout).toContain("approval-to-full-traffic (approval end → shift-traffic end)");
  });
});
