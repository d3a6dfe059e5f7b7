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
