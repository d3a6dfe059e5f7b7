import type { Diagnostic } from "../core/spec/diagnostic.js";
import { checkSloSet, parseSloSpecs } from "../core/spec/parse-slo-specs.js";
import type { Slo } from "../core/spec/slo.js";
import { loadConfigDocuments } from "./load-config-documents.js";

export interface LoadedSpecs {
  readonly slos: readonly Slo[];
  /** Errors and warnings of every file, in file order. */
  readonly diagnostics: readonly Diagnostic[];
}

/** Reads and parses SLO spec files; unreadable files raise INPUT_UNREADABLE. */
export async function loadSloSpecs(files: readonly string[]): Promise<LoadedSpecs> {
  const { items, diagnostics } = await loadConfigDocuments(
    files,
    (text, file) => {
      const parsed = parseSloSpecs(text, file);
      return { items: parsed.slos, diagnostics: parsed.diagnostics };
    },
    checkSloSet,
  );
  return { slos: items, diagnostics };
}
