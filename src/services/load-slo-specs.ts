import { readFile } from "node:fs/promises";
import type { Diagnostic } from "../core/diagnostic.js";
import { checkSloSet, parseSloSpecs } from "../core/parse-slo-specs.js";
import type { Slo } from "../core/slo.js";
import { unreadable } from "./unreadable.js";

export interface LoadedSpecs {
  readonly slos: readonly Slo[];
  /** Errors and warnings of every file, in file order. */
  readonly diagnostics: readonly Diagnostic[];
}

/** Reads and parses SLO spec files; unreadable files raise INPUT_UNREADABLE. */
export async function loadSloSpecs(files: readonly string[]): Promise<LoadedSpecs> {
  const slos: Slo[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      throw unreadable(file, error);
    }
    const parsed = parseSloSpecs(text, file);
    slos.push(...parsed.slos);
    diagnostics.push(...parsed.diagnostics);
  }
  diagnostics.push(...checkSloSet(slos));
  return { slos, diagnostics };
}
