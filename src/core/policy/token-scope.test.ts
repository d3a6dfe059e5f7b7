import { describe, expect, it } from "vitest";
import type { Selector } from "../spec/slo.js";
import { outOfScope, selectorWithinScope, type TokenScope } from "./token-scope.js";

const selector = (fields: Partial<Selector>): Selector => ({
  model: null,
  environment: null,
  labels: {},
  ...fields,
});

describe("outOfScope", () => {
  it("says which field puts an attempt outside", () => {
    const scope: TokenScope = { models: ["a"], labels: { team: ["risk"] } };
    const attempt = { model: "a", environment: "prod", labels: { team: "risk" } };
    expect(outOfScope(scope, attempt)).toBeUndefined();
    expect(outOfScope(scope, { ...attempt, model: "b" })).toBe('model "b" is not one of a');
    expect(outOfScope(scope, { ...attempt, labels: {} })).toBe(
      "label team is absent; the token allows risk",
    );
  });
});

describe("selectorWithinScope", () => {
  const team: TokenScope = { labels: { team: ["risk", "fraud"] } };
  const models: TokenScope = { models: ["fraud-detector"], environments: ["production"] };

  it("holds when the selector pins every field the scope limits to an allowed value", () => {
    expect(selectorWithinScope(selector({ labels: { team: "risk" } }), team)).toBe(true);
    expect(
      selectorWithinScope(
        selector({ model: "fraud-detector", environment: "production", labels: { x: "y" } }),
        models,
      ),
    ).toBe(true);
  });

  it("fails for a selector that can take in attempts outside the scope", () => {
    expect(selectorWithinScope(selector({}), team)).toBe(false);
    expect(selectorWithinScope(selector({ labels: { team: "growth" } }), team)).toBe(false);
    expect(selectorWithinScope(selector({ model: "fraud-detector" }), models)).toBe(false);
    // A glob matches values beyond any list, even when the listed one is among them.
    expect(
      selectorWithinScope(selector({ model: "fraud-*", environment: "production" }), models),
    ).toBe(false);
    expect(
      selectorWithinScope(selector({ model: "fraud-detecto?", environment: "production" }), models),
    ).toBe(false);
  });

  it("holds for every selector when the scope limits nothing", () => {
    expect(selectorWithinScope(selector({}), {})).toBe(true);
  });
});
