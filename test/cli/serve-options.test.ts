import { describe, expect, it } from "vitest";
import { runCliCaptured } from "../support/capture-io.js";

// Flags of `serve` refused before anything starts (nothing listens, no database is opened).
describe("serve --query-timeout", () => {
  for (const value of ["5", "50ms", "2h", "soon"]) {
    it(`refuses ${value} with exit code 2`, async () => {
      const run = await runCliCaptured([
        "serve",
        "--config",
        "test/fixtures/slos.yaml",
        "--database",
        ":memory:",
        "--query-timeout",
        value,
      ]);
      expect(run.exitCode, run.stderr).toBe(2);
      expect(run.stderr).toContain(
        `--query-timeout must be 0 (no limit) or a duration from 100ms to 1h, e.g. 30s; got "${value}"`,
      );
    });
  }
});

describe("serve --retain", () => {
  const serve = (value: string) =>
    runCliCaptured([
      "serve",
      "--config",
      "test/fixtures/slos.yaml",
      "--database",
      ":memory:",
      "--port",
      "0",
      "--retain",
      value,
    ]);

  for (const value of ["0", "30m", "soon"]) {
    it(`refuses ${value} with exit code 2`, async () => {
      const run = await serve(value);
      expect(run.exitCode, run.stderr).toBe(2);
      expect(run.stderr).toContain(
        `--retain must be a duration of at least 1h, e.g. 400d, or never to delete nothing; got "${value}"`,
      );
    });
  }

  it("refuses a retention shorter than an SLO's window and lookback, naming the SLO", async () => {
    // prod-excess: a calendar month (31 days at most) and the status's 3d burn rate.
    const run = await serve("33d");
    expect(run.exitCode, run.stderr).toBe(1);
    expect(run.stderr).toContain(
      `--retain: retention 33d is shorter than what SLO "prod-excess" (test/fixtures/slos.yaml:15) reads: its window (31d) plus its longest lookback (3d) = 34d; retain at least 34d`,
    );
  });
});
