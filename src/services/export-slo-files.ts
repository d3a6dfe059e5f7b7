import { loadSloSpecs } from "../config/load-slo-specs.js";
import { DeploysloError } from "../core/primitives/error-codes.js";
import { plural } from "../core/primitives/plural.js";
import { type Diagnostic, formatDiagnostic } from "../core/spec/diagnostic.js";
import type { Slo } from "../core/spec/slo.js";
import { exportOpenSlo } from "../integrations/openslo/export-openslo.js";
import { grafanaDashboard } from "../integrations/prometheus/grafana-dashboard.js";
import { prometheusRules } from "../integrations/prometheus/prometheus-rules.js";
import type { UseCaseCall } from "./service-context.js";

/** What `deployslo export` can write. */
export const EXPORT_FORMATS = ["openslo", "prometheus-rules", "grafana-dashboard"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportOutput {
  readonly text: string;
  /** The specs' warnings (the export goes ahead with them). */
  readonly warnings: readonly Diagnostic[];
  readonly sloCount: number;
}

async function validSlos(
  files: readonly string[],
): Promise<{ slos: readonly Slo[]; warnings: Diagnostic[] }> {
  const specs = await loadSloSpecs(files);
  const errors = specs.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0)
    throw new DeploysloError(
      "CONFIG_INVALID",
      `${plural(errors.length, "error")} in SLO specs: nothing exported`,
      errors.map(formatDiagnostic),
    );
  if (specs.slos.length === 0)
    throw new DeploysloError("CONFIG_INVALID", `no SLO defined in ${files.join(", ")}`);
  return { slos: specs.slos, warnings: specs.diagnostics.filter((d) => d.severity === "warning") };
}

/**
 * The `export` use case: SLO specs as OpenSLO v1 documents or as Prometheus rules, or the
 * Grafana dashboard over deployslo's metrics (which needs no spec). Specs with errors export
 * nothing (CONFIG_INVALID).
 */
export async function exportSloFiles({
  input,
}: UseCaseCall<
  never,
  { readonly format: ExportFormat; readonly configFiles: readonly string[] }
>): Promise<ExportOutput> {
  if (input.format === "grafana-dashboard") {
    const { slos, warnings } =
      input.configFiles.length === 0
        ? { slos: [], warnings: [] }
        : await validSlos(input.configFiles);
    return {
      text: `${JSON.stringify(grafanaDashboard(slos), null, 2)}\n`,
      warnings,
      sloCount: slos.length,
    };
  }
  if (input.configFiles.length === 0)
    throw new DeploysloError("USAGE", `export ${input.format} needs --config FILE (an SLO spec)`);
  const { slos, warnings } = await validSlos(input.configFiles);
  const text = input.format === "openslo" ? exportOpenSlo(slos) : prometheusRules(slos);
  return { text, warnings, sloCount: slos.length };
}
