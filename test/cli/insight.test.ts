import { describe, expect, it } from "vitest";
import { CoordinationOverheadSchema } from "../../src/contract/coordination-overhead-schema.js";
import { EnvironmentDriftSchema } from "../../src/contract/environment-drift-schema.js";
import { SimulationSchema } from "../../src/contract/simulation-schema.js";
import { TailAttributionSchema } from "../../src/contract/tail-attribution-schema.js";
import { ThresholdRecommendationSchema } from "../../src/contract/threshold-recommendation-schema.js";
import { runCliCaptured } from "../support/capture-io.js";

const D = ["--deployments", "test/fixtures/attempts.ndjson"];

describe("insight commands", () => {
  it("print JSON that follows the API's contract", async () => {
    const cases = [
      [["recommend", ...D, "--target", "50%", "--threshold", "5m"], ThresholdRecommendationSchema],
      [["tail", ...D], TailAttributionSchema],
      [
        [
          "simulate",
          ...D,
          "--threshold",
          "5m",
          "--change",
          "stage:provision*0.5",
          "--seed",
          "1",
          "--resamples",
          "20",
        ],
        SimulationSchema,
      ],
      [["handoffs", ...D], CoordinationOverheadSchema],
      [["drift", ...D], EnvironmentDriftSchema],
    ] as const;
    for (const [argv, schema] of cases) {
      const run = await runCliCaptured([...argv, "--format", "json"]);
      expect(run.exitCode, run.stderr).toBe(0);
      expect(schema.safeParse(JSON.parse(run.stdout)).success, argv[0]).toBe(true);
    }
  });

  it("recommends the threshold the fixture needs, judged as evaluate judges", async () => {
    // As of 09:30 on Oct 14: served a8 90.25 s, a1 3 m, a2 5 m, a3 5 m 0.001 s; a4, a5, a7 bad
    // whatever the threshold; a6 cancelled within it (left out); a9, a10 running; a11 later.
    // 50% of 7 needs 4 good: 5 m 0.001 s, rounded up to 301 s, giving 4/7.
    const run = await runCliCaptured(["recommend", ...D, "--target", "50%", "--format", "json"]);
    const r = JSON.parse(run.stdout) as {
      thresholdSeconds: number;
      historicalCompliance: number;
      fit: { eligible: number };
      snippet: string;
    };
    expect(r.thresholdSeconds).toBe(301);
    expect(r.historicalCompliance).toBe(4 / 7);
    expect(r.fit.eligible).toBe(7);
    expect(r.snippet).toContain("threshold: 5m1s");
    const lower = await runCliCaptured(["recommend", ...D, "--target", "40%", "--format", "json"]);
    expect((JSON.parse(lower.stdout) as { thresholdSeconds: number }).thresholdSeconds).toBe(300);
  });

  it("refuses what it cannot use, with exit code 2 and the option named", async () => {
    const cases: [string[], string][] = [
      [["recommend"], "--deployments"],
      [["recommend", ...D, "--target", "120%"], "--target"],
      [["recommend", ...D, "--split", "colour"], "--split"],
      [["recommend", ...D, "--slo", "x"], "--config"],
      [["recommend", ...D, "--selector", "team"], "--selector"],
      [["tail", ...D, "--from", "2026-10-14T00:00:00Z", "--to", "2026-10-13T00:00:00Z"], "--from"],
      [["simulate", ...D, "--change", "stage:provision*0.5"], "--threshold"],
      [["simulate", ...D, "--threshold", "5m", "--change", "stage:x/2"], "change"],
      [["simulate", ...D, "--threshold", "5m"], "change"],
      [["handoffs", ...D, "--bucket", "1ms"], "trend periods"],
      [["drift", ...D, "--compare", "0"], "--compare"],
      [["drift", ...D, "--alpha", "1.5"], "--alpha"],
      [["drift"], "--deployments"],
      [
        ["recommend", ...D, "-c", "examples/slos.yaml", "--slo", "cpu-provision"],
        "the stage provision",
      ],
    ];
    for (const [argv, named] of cases) {
      const run = await runCliCaptured(argv);
      expect(run.exitCode, `${argv.join(" ")}: ${run.stderr}`).toBe(2);
      expect(run.stderr).toContain(named);
    }
  });

  it("fails on invalid records unless told to skip them", async () => {
    const bad = ["tail", "--deployments", "test/fixtures/attempts-invalid.ndjson"];
    expect((await runCliCaptured(bad)).exitCode).toBe(1);
    expect((await runCliCaptured([...bad, "--skip-invalid"])).exitCode).toBe(0);
  });
});
