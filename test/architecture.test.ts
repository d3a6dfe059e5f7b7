import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** Every module a file names: static imports and re-exports (type-only ones included). */
function imports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"/gms)].map(
    (m) => m[1] ?? "",
  );
}

/** Whether every import of `file` that names a module is type-only (erased at build). */
function typeOnly(file: string, spec: string): boolean {
  const text = readFileSync(file, "utf8");
  const escaped = spec.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const all = [
    ...text.matchAll(new RegExp(`^\\s*(import|export)\\s([^;]*?)from\\s+"${escaped}"`, "gms")),
  ];
  return all.every((m) => /^type\s/.test(m[2] ?? ""));
}

/**
 * Which top-level folders of src/ each folder may import (ARCHITECTURE.md's arrows). Nothing
 * imports cli or server; jobs, client and the runner are adapters like them.
 */
const ALLOWED: Record<string, readonly string[]> = {
  contract: ["contract"],
  core: ["core", "contract"],
  clock: ["clock"],
  formats: ["formats"],
  config: ["core", "config"],
  sample: ["clock", "core", "sample"],
  "version.ts": [],
  store: ["clock", "core", "store"],
  notify: ["clock", "core", "notify"],
  ingest: ["core", "contract", "config", "formats", "store", "ingest"],
  integrations: ["core", "contract", "integrations"],
  services: [
    "clock",
    "core",
    "contract",
    "config",
    "formats",
    "ingest",
    "integrations",
    "notify",
    "sample",
    "store",
    "services",
  ],
  jobs: ["clock", "core", "notify", "services", "store", "jobs"],
  client: [
    "clock",
    "core",
    "contract",
    "config",
    "formats",
    "ingest",
    "services",
    "store",
    "client",
  ],
  server: [
    "clock",
    "core",
    "contract",
    "config",
    "ingest",
    "integrations",
    "jobs",
    "services",
    "store",
    "server",
    "version.ts",
  ],
  runner: ["clock", "core", "client", "ingest", "services", "store", "runner", "version.ts"],
  cli: [
    "clock",
    "core",
    "contract",
    "client",
    "config",
    "ingest",
    "integrations",
    "jobs",
    "services",
    "server",
    "runner",
    "store",
    "cli",
    "version.ts",
  ],
};

/**
 * The core's modules and what each may import: primitives ← spec, attempt ← evaluation ←
 * alerting; notification sits between spec and alerting; analysis, pipeline and policy read
 * attempts and evaluations but nothing reads them back.
 */
const CORE_ALLOWED: Record<string, readonly string[]> = {
  primitives: ["primitives"],
  spec: ["primitives", "spec"],
  attempt: ["primitives", "attempt"],
  evaluation: ["primitives", "spec", "attempt", "evaluation"],
  notification: ["primitives", "spec", "notification"],
  alerting: ["primitives", "spec", "attempt", "evaluation", "notification", "alerting"],
  analysis: ["primitives", "spec", "attempt", "evaluation", "analysis"],
  policy: ["primitives", "spec", "attempt", "evaluation", "analysis", "notification", "policy"],
  pipeline: ["primitives", "spec", "attempt", "pipeline"],
};

/** Packages the pure core may use: parsing libraries without I/O. */
const CORE_PACKAGES = ["yaml"];
/** The contract is schemas only. */
const CONTRACT_PACKAGES = ["zod"];

function layerOf(path: string): string {
  return (path.split("/")[0] ?? "").replace(/\.js$/, ".ts");
}

describe("architecture boundaries", () => {
  for (const file of sourceFiles("src")) {
    const inSrc = relative("src", file);
    const layer = layerOf(inSrc);
    it(`${file} imports only what its layer may`, () => {
      const allowed = ALLOWED[layer];
      expect(allowed, `src/${layer} has no entry in ALLOWED`).toBeDefined();
      const coreModule = layer === "core" ? inSrc.split("/")[1] : undefined;
      if (layer === "core") {
        expect(coreModule, `${file} must sit in a module folder of src/core`).not.toMatch(/\.ts$/);
        expect(CORE_ALLOWED[coreModule ?? ""], `src/core/${coreModule} has no entry`).toBeDefined();
      }
      for (const spec of imports(file)) {
        if (spec.startsWith(".")) {
          const target = relative("src", join(file, "..", spec));
          const targetLayer = layerOf(target);
          expect(allowed, `${file} imports ${spec}`).toContain(targetLayer);
          if (coreModule !== undefined && targetLayer === "core") {
            const targetModule = target.split("/")[1] ?? "";
            expect(CORE_ALLOWED[coreModule], `${file} imports ${spec}`).toContain(targetModule);
          }
          if (layer === "core" && targetLayer === "contract") {
            expect(typeOnly(file, spec), `${file} may import only types from the contract`).toBe(
              true,
            );
          }
        } else if (layer === "core" || layer === "formats") {
          expect(spec.startsWith("node:"), `${file} is pure but imports ${spec}`).toBe(false);
          if (layer === "core") expect(CORE_PACKAGES, `${file} imports ${spec}`).toContain(spec);
        } else if (layer === "contract") {
          expect(CONTRACT_PACKAGES, `${file} imports ${spec}`).toContain(spec);
        }
      }
    });
  }

  it("gives every folder of src/ a row, so a new folder states its arrows", () => {
    for (const entry of readdirSync("src")) expect(ALLOWED, `src/${entry}`).toHaveProperty(entry);
    for (const entry of readdirSync("src/core", { withFileTypes: true })) {
      expect(entry.isDirectory(), `src/core/${entry.name} must be a module folder`).toBe(true);
      expect(CORE_ALLOWED, `src/core/${entry.name}`).toHaveProperty(entry.name);
    }
  });

  it("ships no benchmark-only tools in src/", () => {
    for (const name of ["alert-quality.ts", "simulate-stream.ts", "write-history.ts"]) {
      expect(existsSync(join("src/sample", name)), name).toBe(false);
    }
  });
});

describe("the dashboard talks only to the API", () => {
  for (const file of sourceFiles("web/src")) {
    it(`${file} imports nothing from src/ but types of the contract`, () => {
      for (const spec of imports(file)) {
        if (!spec.startsWith(".")) continue;
        const target = relative(".", join(file, "..", spec));
        if (target.startsWith("web/")) continue;
        expect(target, `${file} imports ${spec}`).toMatch(/^src\/contract\//);
        expect(typeOnly(file, spec), `${file} may import only types from src/contract`).toBe(true);
      }
    });
  }
});
