import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { AttemptRecordJson } from "./attempt-record-json.js";
import { generateHistoryLines, type HistoryOptions } from "./generate-history.js";

/**
 * examples/history.ndjson is generated, never edited by hand. To regenerate it after changing
 * the generator:  UPDATE_EXAMPLES=1 npx vitest run src/sample
 * (then check that the story told by examples/slos.yaml still holds).
 */
const EXAMPLE_PATH = fileURLToPath(new URL("../../examples/history.ndjson", import.meta.url));
const EXAMPLE_OPTIONS: HistoryOptions = {
  seed: 42,
  start: Date.parse("2026-09-01T00:00:00Z"),
  days: 60,
  inProgressAtEnd: true,
};
const END = "2026-10-31T00:00:00.000Z";

describe("examples/history.ndjson", () => {
  const expected = `${[...generateHistoryLines(EXAMPLE_OPTIONS)].join("\n")}\n`;

  it("is exactly what the generator produces", () => {
    if (process.env.UPDATE_EXAMPLES === "1") writeFileSync(EXAMPLE_PATH, expected);
    expect(
      existsSync(EXAMPLE_PATH),
      `${EXAMPLE_PATH} is missing: run UPDATE_EXAMPLES=1 npx vitest run src/sample`,
    ).toBe(true);
    const actual = readFileSync(EXAMPLE_PATH, "utf8");
    // Compare sizes first: a multi-megabyte diff is of no use to anyone.
    expect(actual.length, "regenerate with UPDATE_EXAMPLES=1 npx vitest run src/sample").toBe(
      expected.length,
    );
    expect(actual === expected, "regenerate with UPDATE_EXAMPLES=1 npx vitest run src/sample").toBe(
      true,
    );
  });

  it("covers 60 days ending at 2026-10-31 with attempts still in flight", () => {
    const records = expected
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as AttemptRecordJson);
    expect(records.length).toBeGreaterThanOrEqual(1500);
    expect(records.length).toBeLessThanOrEqual(3000);
    expect(records[0]?.startedAt.slice(0, 10)).toBe("2026-09-01");
    expect(records.at(-1)?.startedAt.localeCompare(END)).toBe(-1);
    expect(records.filter((r) => r.outcome === "in_progress").length).toBeGreaterThanOrEqual(2);
    for (const r of records) {
      for (const t of [r.servingAt, r.endedAt]) if (t !== undefined) expect(t <= END).toBe(true);
    }
  });
});
