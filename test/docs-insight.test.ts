import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runCliCaptured } from "./support/capture-io.js";

/** `$ deployslo …` blocks of docs/insight.md with the output printed under them. */
function examples(): { command: string; output: string }[] {
  const doc = readFileSync("docs/insight.md", "utf8");
  return [...doc.matchAll(/```console\n\$ (deployslo [^\n]*)\n([\s\S]*?)```/g)].map((m) => ({
    command: m[1] ?? "",
    output: m[2] ?? "",
  }));
}

/** Splits a command line as a shell would, for the single quotes the page uses. */
function argv(command: string): string[] {
  return [...command.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? "").slice(1);
}

describe("docs/insight.md", () => {
  const all = examples();
  it("has an example of every insight command, and of SLOs on other end points", () => {
    const commands = new Set(all.map((e) => e.command.split(" ")[1]));
    expect([...commands].sort()).toEqual([
      "budgets",
      "drift",
      "evaluate",
      "handoffs",
      "recommend",
      "report",
      "simulate",
      "tail",
    ]);
  });
  for (const { command, output } of all) {
    it(`prints what \`${command.slice(0, 90)}…\` prints`, async () => {
      const run = await runCliCaptured(argv(command), { now: Date.parse("2026-12-01T00:00:00Z") });
      expect(run.exitCode, run.stderr).toBe(0);
      expect(run.stdout).toBe(output);
    }, 30_000);
  }
});
