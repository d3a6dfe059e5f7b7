import { describe, expect, it } from "vitest";
import { makeSlo } from "../../../test/support/make-attempt.js";
import { scopeValues, sloInScope } from "./scope-filter.js";

describe("scope filter", () => {
  const slo = makeSlo({ selector: { model: "fraud-*", environment: "production", labels: {} } });
  it("keeps SLOs whose selector accepts the chosen model and environment", () => {
    expect(sloInScope(slo, { model: null, environment: null })).toBe(true);
    expect(sloInScope(slo, { model: "fraud-detector", environment: null })).toBe(true);
    expect(sloInScope(slo, { model: "llm-chat", environment: null })).toBe(false);
    expect(sloInScope(slo, { model: null, environment: "staging" })).toBe(false);
    expect(sloInScope(makeSlo(), { model: "x", environment: "y" })).toBe(true);
  });
  it("lists distinct models and environments", () => {
    expect(
      scopeValues([
        { model: "b", environment: "prod", labels: {} },
        { model: "a", environment: "prod", labels: {} },
      ]),
    ).toEqual({ models: ["a", "b"], environments: ["prod"] });
  });
});
