import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { EXIT_CODES } from "../src/cli/exit-code.js";
import { ERROR_CODES } from "../src/core/primitives/error-codes.js";
import { HTTP_STATUS } from "../src/server/problem-details.js";

/** The rows of docs/errors.md's table, by the code in their first cell. */
function documentedRows(): Map<string, readonly string[]> {
  const doc = readFileSync("docs/errors.md", "utf8");
  const rows = new Map<string, readonly string[]>();
  for (const line of doc.split("\n")) {
    const cells = line.split("|").map((cell) => cell.trim());
    const code = /^`([A-Z_]+)`$/.exec(cells[1] ?? "")?.[1];
    if (line.startsWith("|") && code !== undefined) rows.set(code, cells);
  }
  return rows;
}

describe("error codes", () => {
  const rows = documentedRows();

  for (const code of Object.keys(ERROR_CODES) as (keyof typeof ERROR_CODES)[]) {
    it(`${code} is documented in docs/errors.md with its exit code and HTTP status`, () => {
      const cells = rows.get(code);
      expect(cells, `docs/errors.md has no row for ${code}`).toBeDefined();
      expect(cells?.[2]).toBe(String(EXIT_CODES[code]));
      expect(cells?.[3]).toBe(String(HTTP_STATUS[code] ?? "—"));
    });
  }

  it("docs/errors.md documents no code the product does not have", () => {
    expect([...rows.keys()].filter((code) => !(code in ERROR_CODES))).toEqual([]);
  });

  it("every problem code quoted in the docs is a real one", () => {
    const quoted = readdirSync("docs")
      .filter((name) => name.endsWith(".md"))
      .flatMap((name) =>
        [...readFileSync(`docs/${name}`, "utf8").matchAll(/"code":\s*"([A-Z_]+)"/g)]
          .filter((m) => !((m[1] ?? "") in ERROR_CODES))
          .map((m) => `${name}: ${m[1]}`),
      );
    expect(quoted).toEqual([]);
  });
});
