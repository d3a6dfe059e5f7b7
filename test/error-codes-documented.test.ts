import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ERROR_CODES } from "../src/core/primitives/error-codes.js";

describe("error codes", () => {
  const doc = readFileSync("docs/errors.md", "utf8");
  for (const [code, { exitCode, httpStatus }] of Object.entries(ERROR_CODES)) {
    it(`${code} is documented in docs/errors.md with its exit code and HTTP status`, () => {
      const rows = doc.split("\n").map((line) => line.split("|").map((cell) => cell.trim()));
      const cells = rows.find((row) => row[1] === `\`${code}\``);
      expect(cells, `docs/errors.md has no row for ${code}`).toBeDefined();
      expect(cells?.[2]).toBe(String(exitCode));
      expect(cells?.[3]).toBe(String(httpStatus));
    });
  }
});
