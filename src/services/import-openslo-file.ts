import { readConfigFile } from "../config/read-config-file.js";
import { DeploysloError } from "../core/primitives/error-codes.js";
import { plural } from "../core/primitives/plural.js";
import { type Diagnostic, formatDiagnostic } from "../core/spec/diagnostic.js";
import { importOpenSlo } from "../integrations/openslo/import-openslo.js";
import type { UseCaseCall } from "./service-context.js";

export interface ImportOutput {
  /** deployslo/v1 SLO specs as YAML. */
  readonly text: string;
  readonly warnings: readonly Diagnostic[];
  readonly sloCount: number;
}

/**
 * The `import openslo` use case: an OpenSLO v1 file as deployslo specs. A feature deployslo
 * cannot honour fails the whole file (CONFIG_INVALID, each finding with file:line:column);
 * what it leaves out or assumes comes back as warnings.
 */
export async function importOpenSloFile({
  input,
}: UseCaseCall<never, { readonly file: string }>): Promise<ImportOutput> {
  const converted = importOpenSlo(await readConfigFile(input.file), input.file);
  const errors = converted.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0)
    throw new DeploysloError(
      "CONFIG_INVALID",
      `${plural(errors.length, "error")} in ${input.file}: nothing imported`,
      converted.diagnostics.map(formatDiagnostic),
    );
  const header = `# Imported from ${input.file} (OpenSLO v1) by deployslo import openslo.\n`;
  return {
    text: header + converted.yaml,
    warnings: converted.diagnostics,
    sloCount: converted.sloCount,
  };
}
