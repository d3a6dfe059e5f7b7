import { describe, expect, it } from "vitest";
import {
  parseAliasEnvironments,
  parseAliasWatches,
  parseHookSecrets,
} from "./parse-hook-options.js";

describe("hook options", () => {
  it("reads SOURCE=SECRET for the sources that sign, and refuses the rest", () => {
    expect(parseHookSecrets("mlflow=0123456789abcdef, github=fedcba9876543210=", "x")).toEqual({
      mlflow: "0123456789abcdef",
      github: "fedcba9876543210=",
    });
    expect(() => parseHookSecrets("argocd=0123456789abcdef", "x")).toThrow(/cannot sign/);
    expect(() => parseHookSecrets("mlflow=short", "x")).toThrow(/shorter than 16/);
    expect(() => parseHookSecrets("mlflow=", "x")).toThrow(/environment variable/);
  });

  it("reads aliases and watches", () => {
    expect(parseAliasEnvironments(["champion=production", "challenger = staging"])).toEqual(
      new Map([
        ["champion", "production"],
        ["challenger", "staging"],
      ]),
    );
    expect(() => parseAliasEnvironments(["champion"])).toThrow(/ALIAS=ENVIRONMENT/);
    expect(parseAliasWatches(["team@fraud-model@champion"])).toEqual([
      { model: "team@fraud-model", alias: "champion" },
    ]);
    expect(() => parseAliasWatches(["fraud-model"])).toThrow(/MODEL@ALIAS/);
  });
});
