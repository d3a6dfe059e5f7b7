import { readdirSync, readFileSync } from "node:fs";
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { buildProgram } from "../src/cli/program.js";

const SILENT = {
  stdout: { write: () => true },
  stderr: { write: () => true },
  env: {},
  now: () => 0,
};

/** Every long option of every command and subcommand, e.g. `--port`. */
function knownOptions(): Set<string> {
  const known = new Set<string>(["--help", "--version"]);
  const visit = (command: Command) => {
    for (const option of command.options) {
      if (option.long !== undefined) known.add(option.long);
      // `--no-color` documents the negation of `--color`, and the reverse.
      if (option.long?.startsWith("--no-")) known.add(`--${option.long.slice(5)}`);
    }
    for (const sub of command.commands) visit(sub);
  };
  visit(buildProgram(SILENT));
  return known;
}

describe("options named in the docs", () => {
  const known = knownOptions();
  const docs = [
    "README.md",
    ...readdirSync("docs")
      .filter((name) => name.endsWith(".md"))
      .map((name) => `docs/${name}`),
  ];
  for (const doc of docs) {
    it(`${doc} names only options the CLI has`, () => {
      // Lines that run another program (curl, node, npm, kubectl, jq) carry its options, not ours.
      const ours = readFileSync(doc, "utf8")
        .split("\n")
        .filter(
          (line) =>
            !/\b(curl|node|npm|npx vitest|kubectl|jq)\s/.test(line) || /deployslo\s/.test(line),
        );
      // After ` -- ` come the options of the command deployslo runs.
      const named = ours.flatMap((line) =>
        [...(line.split(" -- ")[0] ?? "").matchAll(/(?<![\w-])--[a-z][a-z0-9-]*/g)].map(
          (m) => m[0],
        ),
      );
      expect([...new Set(named)].filter((option) => !known.has(option))).toEqual([]);
    });
  }
});
