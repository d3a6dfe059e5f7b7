import { loadNotificationTargets } from "../config/load-notification-targets.js";
import { loadSloSpecs } from "../config/load-slo-specs.js";
import { checkNotifyTargets } from "../core/notification/check-notify-targets.js";
import type { Diagnostic } from "../core/spec/diagnostic.js";
import type { UseCaseCall } from "./service-context.js";

export interface ValidationOutput {
  readonly errors: readonly Diagnostic[];
  readonly warnings: readonly Diagnostic[];
  readonly sloCount: number;
}

/**
 * The `validate` use case: every diagnostic of the given files' SLOs and notification targets,
 * errors and warnings apart. Targets' environment variables are read by `serve`, not here.
 */
export async function validateConfigFiles({
  input: { files },
}: UseCaseCall<never, { readonly files: readonly string[] }>): Promise<ValidationOutput> {
  const specs = await loadSloSpecs(files);
  const targets = await loadNotificationTargets(files);
  const notify = checkNotifyTargets(
    specs.slos,
    targets.targets.map((target) => target.name),
  );
  const diagnostics = [...specs.diagnostics, ...targets.diagnostics, ...notify].sort(
    (a, b) =>
      files.indexOf(a.file) - files.indexOf(b.file) || a.line - b.line || a.column - b.column,
  );
  return {
    errors: diagnostics.filter((d) => d.severity === "error"),
    warnings: diagnostics.filter((d) => d.severity === "warning"),
    sloCount: specs.slos.length,
  };
}
