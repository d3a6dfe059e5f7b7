import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"/gms)].map(
    (m) => m[1] ?? "",
  );
}

/** Which top-level folders of src/ each folder may import (ARCHITECTURE.md's arrows). */
const ALLOWED: Record<string, readonly string[]> = {
  core: ["core"],
  formats: ["formats"],
  sample: ["core", "sample"],
  "version.ts": [],
  store: ["core", "store"],
  notify: ["core", "notify"],
  services: ["core", "formats", "sample", "store", "notify", "services"],
  server: ["core", "services", "store", "server", "version.ts"],
  runner: ["core", "services", "store", "runner", "version.ts"],
  cli: ["core", "services", "server", "runner", "cli", "version.ts"],
};
/** Packages the pure core may use: parsing libraries without I/O. */
const CORE_PACKAGES = ["yaml"];

describe("architecture boundaries", () => {
  for (const file of sourceFiles("src")) {
    const layer = relative("src", file).split("/")[0] ?? "";
    it(`${file} imports only what its layer may`, () => {
      const allowed = ALLOWED[layer];
      expect(allowed, `src/${layer} has no entry in ALLOWED`).toBeDefined();
      for (const spec of imports(file)) {
        if (spec.startsWith(".")) {
          const target = (relative("src", join(file, "..", spec)).split("/")[0] ?? "").replace(
            /\.js$/,
            ".ts",
          );
          expect(allowed, `${file} imports ${spec}`).toContain(target);
        } else if (layer === "core" || layer === "formats") {
          expect(spec.startsWith("node:"), `${file} is pure but imports ${spec}`).toBe(false);
          if (layer === "core") expect(CORE_PACKAGES, `${file} imports ${spec}`).toContain(spec);
        }
      }
    });
  }
});
