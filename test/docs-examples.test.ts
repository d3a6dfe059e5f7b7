import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runCliCaptured } from "./support/capture-io.js";

describe("docs/semantics.md", () => {
  it("shows the JSON contract exactly as evaluate prints it for the fixture", async () => {
    const doc = readFileSync("docs/semantics.md", "utf8");
    const block = /## The JSON contract[\s\S]*?```json\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(block, "docs/semantics.md lost its JSON example").toBeDefined();
    const run = await runCliCaptured([
      "evaluate",
      "-c",
      "test/fixtures/slos.yaml",
      "-d",
      "test/fixtures/attempts.ndjson",
      "--at",
      "2026-10-14T09:30:00Z",
      "-f",
      "json",
    ]);
    const actual = JSON.parse(run.stdout) as { at: string; slos: unknown[] };
    expect(JSON.parse(block ?? "")).toEqual({ at: actual.at, slos: [actual.slos[0]] });
  });
});
