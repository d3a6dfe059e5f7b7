import { spawn } from "node:child_process";
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

  it("succeeds in every one of several processes that create the same folder at once", async () => {
    // Two servers started in one working directory both create .deployslo at the same moment.
    const built = new URL("../../dist/store/make-folder.js", import.meta.url).href;
    const dir = mkdtempSync(join(tmpdir(), "deployslo-folder-race-"));
    try {
      for (let round = 0; round < 10; round++) {
        const folder = join(dir, `r${round}`, "a", "b", ".deployslo");
        const codes = await Promise.all(
          Array.from(
            { length: 6 },
            () =>
              new Promise<number | null>((resolve) => {
                const child = spawn(
                  process.execPath,
                  [
                    "--input-type=module",
                    "-e",
                    `(await import(${JSON.stringify(built)})).makeFolder(${JSON.stringify(folder)})`,
                  ],
                  { stdio: "ignore" },
                );
                child.on("exit", resolve);
              }),
          ),
        );
        expect(codes, `round ${round}`).toEqual([0, 0, 0, 0, 0, 0]);
        expect(existsSync(folder)).toBe(true);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it.runIf(existsSync("/proc/self"))("throws where Node's recursive mkdir would loop", () => {
    expect(() => makeFolder("/proc/deployslo-nope/a")).toThrow(/ENOENT/);
  });
});
