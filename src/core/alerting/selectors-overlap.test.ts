import { describe, expect, it } from "vitest";
import type { Selector } from "../spec/slo.js";
import { selectorContains, selectorsOverlap } from "./selectors-overlap.js";

const sel = (fields: Partial<Selector>): Selector => ({
  environment: null,
  model: null,
  labels: {},
  ...fields,
});

describe("selectorsOverlap", () => {
  it("holds for the same selector and for one contained in the other", () => {
    const staging = sel({ environment: "staging" });
    const fraud = sel({ environment: "staging", model: "fraud-detector" });
    expect(selectorsOverlap(staging, staging)).toBe(true);
    expect(selectorContains(staging, fraud)).toBe(true);
    expect(selectorContains(fraud, staging)).toBe(false);
    expect(selectorsOverlap(fraud, staging)).toBe(true);
  });

  it("reads globs of the wider selector and labels as extra conditions", () => {
    expect(selectorContains(sel({ model: "fraud-*" }), sel({ model: "fraud-detector" }))).toBe(
      true,
    );
    expect(selectorContains(sel({ model: "fraud-detector" }), sel({ model: "fraud-*" }))).toBe(
      false,
    );
    expect(
      selectorContains(sel({ labels: { team: "a" } }), sel({ labels: { team: "a", tier: "1" } })),
    ).toBe(true);
  });

  it("does not hold for disjoint selectors", () => {
    expect(selectorsOverlap(sel({ environment: "staging" }), sel({ environment: "prod" }))).toBe(
      false,
    );
    expect(
      selectorsOverlap(
        sel({ environment: "staging", model: "a" }),
        sel({ environment: "staging", labels: { team: "x" } }),
      ),
    ).toBe(false);
  });
});
