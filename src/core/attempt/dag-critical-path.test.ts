import { describe, expect, it } from "vitest";
import { dagCriticalPath as criticalPath } from "./dag-critical-path.js";

describe("criticalPath", () => {
  it("follows the need that ended last, back from the node that ended last", () => {
    expect(
      criticalPath([
        { name: "checksum", needs: [], startedAt: 0, endedAt: 10 },
        { name: "pull", needs: [], startedAt: 0, endedAt: 50 },
        { name: "start", needs: ["checksum", "pull"], startedAt: 50, endedAt: 80 },
        { name: "notify", needs: ["checksum"], startedAt: 10, endedAt: 20 },
      ]),
    ).toEqual(["pull", "start"]);
  });

  it("is empty for no nodes and one long for independent ones", () => {
    expect(criticalPath([])).toEqual([]);
    expect(
      criticalPath([
        { name: "a", needs: [], startedAt: 0, endedAt: 5 },
        { name: "b", needs: [], startedAt: 0, endedAt: 7 },
      ]),
    ).toEqual(["b"]);
  });
});
