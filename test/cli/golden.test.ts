import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runCliCaptured } from "../support/capture-io.js";
import { GOLDEN_CASES } from "./golden-cases.js";

const UPDATE = process.env.UPDATE_GOLDEN === "1";

/** Compares (or with UPDATE_GOLDEN=1 rewrites) one pinned output file. */
function expectGolden(name: string, suffix: string, actual: string): void {
  const path = `test/golden/${name}.${suffix}`;
  if (UPDATE) writeFileSync(path, actual);
  if (!existsSync(path))
    throw new Error(`${path} is missing: run UPDATE_GOLDEN=1 npx vitest run test/cli`);
  expect(actual).toBe(readFileSync(path, "utf8"));
}

describe("CLI golden output (in-process)", () => {
  for (const { name, argv } of GOLDEN_CASES) {
    it(name, async () => {
      const run = await runCliCaptured(argv);
      expectGolden(name, "stdout", run.stdout);
      expectGolden(name, "stderr", run.stderr);
      expectGolden(name, "code", `${run.exitCode}\n`);
    });
  }
});
