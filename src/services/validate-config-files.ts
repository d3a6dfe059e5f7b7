import type { Diagnostic } from "../core/diagnostic.js";
import { loadSloSpecs } from "./load-slo-specs.js";

export interface ValidationOutput {
  readonly errors: readonly Diagnostic[];
  readonly warnings: readonly Diagnostic[];
  readonly sloCount: number;
}

/** The `validate` use case: every diagnostic of the given spec files, errors and warnings apart. */
export async function validateConfigFiles(files: readonly string[]): Promise<ValidationOutput> {
  const specs = await loadSloSpecs(files);
  return {
    errors: specs.diagnostics.filter((d) => d.severity === "error"),
    warnings: specs.diagnostics.filter((d) => d.severity === "warning"),
    sloCount: specs.slos.length,
  };
}
