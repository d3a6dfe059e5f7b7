import { describe, expect, it } from "vitest";
import { makeAttempt, makeStage, T0 } from "../../../test/support/make-attempt.js";
import { selectorMatcher } from "../evaluation/selector-matcher.js";
import { parseSelectorTerms, selectorTerms } from "./selector-terms.js";

describe("parseSelectorTerms", () => {
  it("reads attribute.NAME terms as attribute selectors, and writes them back", () => {
    const parsed = parseSelectorTerms([
      "environment=staging,attribute.coldStart=true",
      "team=risk",
    ]);
    expect(parsed).toEqual({
      ok: true,
      selector: {
        environment: "staging",
        model: null,
        labels: { team: "risk" },
        attributes: { coldStart: "true" },
      },
    });
    if (!parsed.ok) return;
    expect(selectorTerms(parsed.selector)).toEqual([
      "environment=staging",
      "team=risk",
      "attribute.coldStart=true",
    ]);
    const matches = selectorMatcher(parsed.selector);
    const cold = makeStage({
      name: "provision",
      startedAt: T0,
      endedAt: T0 + 1,
      attributes: { coldStart: true },
    });
    const base = { environment: "staging", labels: { team: "risk" } };
    expect(matches(makeAttempt({ ...base, stages: [cold] }))).toBe(true);
    expect(
      matches(makeAttempt({ ...base, attributes: { coldStart: false }, stages: [cold] })),
    ).toBe(false);
    expect(matches(makeAttempt(base))).toBe(false);
  });
});
