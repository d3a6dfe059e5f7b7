import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeFolder } from "./make-folder.js";

describe("makeFolder", () => {
  it("creates missing parents and accepts a folder that exists", () => {
    const dir = mkdtempSync(join(tmpdir(), "deployslo-folder-"));
    try {
      const nested = join(dir, "a", "b", "c");
      makeFolder(nested);
      expect(existsSync(nested)).toBe(true);
      makeFolder(nested);
      const file = join(dir, "file");
      writeFileSync(file, "");
      expect(() => makeFolder(join(file, "below"))).toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.runIf(existsSync("/proc/self"))("throws where Node's recursive mkdir would loop", () => {
    expect(() => makeFolder("/proc/deployslo-nope/a")).toThrow(/ENOENT/);
  });
});
