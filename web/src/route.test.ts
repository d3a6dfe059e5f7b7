import { describe, expect, it } from "vitest";
import { parseState, stateUrl, timeRange } from "./route.js";

describe("URL state", () => {
  it("round-trips every view's state through its URL", () => {
    for (const url of [
      "/",
      "/slos/prod-deploys?range=30d&theme=dark",
      "/attempts/a%2Fb",
      "/stages?range=custom&from=2026-10-01T00%3A00%3A00Z&to=2026-10-02T00%3A00%3A00Z&environment=staging&slo=prod-deploys",
      "/?model=fraud-detector&environment=production",
      "/audit?range=30d&environment=production&slo=prod-deploys&entry=approval&before=41",
    ]) {
      const [path = "", search = ""] = url.split("?");
      expect(stateUrl(parseState(path, search))).toBe(url);
    }
  });

  it("falls back to 7 days for unknown or broken ranges", () => {
    const state = parseState("/", "range=custom&from=nonsense&to=2026-10-02T00:00:00Z");
    expect(timeRange(state, 1_000_000_000_000, null)).toEqual({
      from: 1_000_000_000_000 - 7 * 86_400_000,
      to: null,
    });
    expect(parseState("/", "range=99y").range).toBe("7d");
  });

  it("uses the SLO's window start for the window range", () => {
    expect(timeRange(parseState("/", "range=window"), 5_000, 1_000)).toEqual({
      from: 1_000,
      to: null,
    });
  });
});
