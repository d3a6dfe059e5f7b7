import { describe, expect, it } from "vitest";
import { textProblem } from "./text-problem.js";

describe("textProblem", () => {
  it("accepts ordinary text, including pairs of surrogates (emoji)", () => {
    for (const text of ["", "fraud-detector", "é", "模型", "🚀 v2", "a\u0001b"]) {
      expect(textProblem(text)).toBeUndefined();
    }
  });

  it("refuses NUL and lone surrogates, wherever they are", () => {
    expect(textProblem("a\u0000b")).toMatch(/NUL/);
    for (const text of ["\ud800", "a\ud800", "\udc00b", "x\udc00\ud800y", "🚀".slice(0, 1)]) {
      expect(textProblem(text)).toMatch(/lone UTF-16 surrogate/);
    }
  });
});
