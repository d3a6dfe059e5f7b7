import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/** The only files that may read the wall clock or draw randomness: the context's sources. */
const SOURCES = new Set(["src/clock/clock.ts", "src/clock/random.ts"]);

/** The current time or a random number, read directly instead of from a Clock or a Random. */
const AMBIENT = /\bDate\.now\b|\bMath\.random\b|\bnew Date\(\s*\)/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** The code of a file without its comments, so that a comment may name what it avoids. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
}

function ambientReads(text: string): string[] {
  return [...code(text).matchAll(AMBIENT)].map((m) => m[0]);
}

describe("time and randomness come from the context", () => {
  it("finds a direct read, and ignores one named in a comment", () => {
    expect(ambientReads("const at = Date.now();")).toEqual(["Date.now"]);
    expect(ambientReads("const r = Math.random() * 2; const d = new Date();")).toEqual([
      "Math.random",
      "new Date()",
    ]);
    expect(ambientReads("// never Date.now here\n/* nor Math.random */ const x = 1;")).toEqual([]);
    expect(ambientReads('new Date("2026-10-14T09:30:00Z")')).toEqual([]);
  });

  for (const file of sourceFiles("src")) {
    if (SOURCES.has(file)) continue;
    it(`${file} reads the clock and randomness only through a Clock and a Random`, () => {
      expect(
        ambientReads(readFileSync(file, "utf8")),
        `${file}: use ctx.clock / ctx.random`,
      ).toEqual([]);
    });
  }
});
