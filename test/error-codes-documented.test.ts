import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ERROR_CODES } from "../src/core/error-codes.js";

describe("error codes", () => {
  const doc = readFileSync("docs/errors.md", "utf8");
  for (const [code, { exitCode, httpStatus }] of Object.entries(ERROR_CODES)) {
    it(`${code} is documented in docs/errors.md with its exit code and HTTP status`, () => {
      const row = doc.split("\n").find((line) => line.startsWith(`| \`${code}\` |`));
      expect(row, `docs/errors.md has no row for ${code}`).toBeDefined();
      const cells = (row ?? "").split("|").map((cell) => cell.trim());
      expect(cells[2]).toBe(String(exitCode));
      expect(cells[3]).toBe(String(httpStatus));
    });
  }
});
