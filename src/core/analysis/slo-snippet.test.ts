import { describe, expect, it } from "vitest";
import { parseDecimal } from "../primitives/exact-ratio.js";
import { parseSelectorTerms, selectorTerms } from "./selector-terms.js";
import { percentText, sloSnippet } from "./slo-snippet.js";

const decimal = (text: string) => parseDecimal(text) ?? { units: 0n, scale: 1n };

describe("percentText", () => {
  it("writes fractions as exact percentages", () => {
    expect(percentText(decimal("0.99"))).toBe("99%");
    expect(percentText(decimal("0.995"))).toBe("99.5%");
    expect(percentText(decimal("0.9"))).toBe("90%");
    expect(percentText(decimal("0.99999"))).toBe("99.999%");
    expect(percentText({ units: 995n, scale: 1000n })).toBe("99.5%");
  });
});

describe("selector terms and snippets", () => {
  it("reads terms into a selector and writes a spec that names it", () => {
    const parsed = parseSelectorTerms(["environment=production", "team=risk,model=fraud-*"]);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(selectorTerms(parsed.selector)).toEqual([
      "environment=production",
      "model=fraud-*",
      "team=risk",
    ]);
    expect(parseSelectorTerms(["team"])).toMatchObject({ ok: false });
    expect(parseSelectorTerms(["team=a", "team=b"])).toMatchObject({ ok: false });
    expect(
      sloSnippet({
        name: "prod",
        selector: parsed.selector,
        thresholdMs: 800_000,
        target: decimal("0.99"),
        window: "30d",
      }),
    ).toBe(
      [
        "apiVersion: deployslo/v1",
        "kind: SLO",
        "metadata:",
        "  name: prod",
        "spec:",
        "  selector:",
        "    environment: production",
        '    model: "fraud-*"',
        "    labels:",
        "      team: risk",
        "  objective:",
        "    threshold: 13m20s",
        "    target: 99%",
        "  window: 30d",
        "",
      ].join("\n"),
    );
  });
});
