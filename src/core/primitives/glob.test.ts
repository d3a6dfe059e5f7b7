import { describe, expect, it } from "vitest";
import { globToRegExp } from "./glob.js";

describe("globToRegExp", () => {
  it.each([
    ["fraud-*", "fraud-detector", true],
    ["fraud-*", "fraud-", true],
    ["fraud-*", "anti-fraud-x", false],
    ["model-?", "model-7", true],
    ["model-?", "model-10", false],
    ["a.b", "a.b", true],
    ["a.b", "axb", false],
    ["(x)+[y]", "(x)+[y]", true],
    ["*", "", true],
  ])("%s matches %s: %s", (glob, text, expected) => {
    expect(globToRegExp(glob).test(text)).toBe(expected);
  });
});
