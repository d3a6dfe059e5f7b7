import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { GOLDEN_CASES } from "../cli/golden-cases.js";

const BIN = "dist/cli/main.js";

function read(name: string, suffix: string): string {
  return readFileSync(`test/golden/${name}.${suffix}`, "utf8");
}

describe("built CLI (dist/cli/main.js) matches the golden files", () => {
  it("is built", () => {
    expect(existsSync(BIN), `${BIN} is missing: run npm run build (npm test does it first)`).toBe(
      true,
    );
  });
  for (const { name, argv } of GOLDEN_CASES) {
    it(name, () => {
      const run = spawnSync(process.execPath, [BIN, ...argv], {
        encoding: "utf8",
        env: { PATH: process.env.PATH ?? "", TZ: "Pacific/Chatham" },
      });
      expect(run.stdout).toBe(read(name, "stdout"));
      expect(run.stderr).toBe(read(name, "stderr"));
      expect(`${run.status}\n`).toBe(read(name, "code"));
    });
  }

  it("reads attempt records from standard input with -d -", () => {
    const run = spawnSync(
      process.execPath,
      [
        BIN,
        "evaluate",
        "-c",
        "test/fixtures/slos.yaml",
        "-d",
        "-",
        "--at",
        "2026-10-14T09:30:00Z",
        "-f",
        "json",
      ],
      { encoding: "utf8", input: readFileSync("test/fixtures/attempts.ndjson", "utf8") },
    );
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(read("evaluate-fixture-json", "stdout"));
  });

  it("prints a version and help", () => {
    const version = spawnSync(process.execPath, [BIN, "--version"], { encoding: "utf8" });
    expect(version.stdout.trim()).toBe(
      (JSON.parse(readFileSync("package.json", "utf8")) as { version: string }).version,
    );
    const help = spawnSync(process.execPath, [BIN, "evaluate", "--help"], { encoding: "utf8" });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("--deployments <file>");
  });
});
