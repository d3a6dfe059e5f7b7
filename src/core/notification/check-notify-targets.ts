import { closestName } from "../primitives/closest-name.js";
import type { Diagnostic } from "../spec/diagnostic.js";
import type { Slo } from "../spec/slo.js";

/** Every `spec.alerting.notify` name must be a NotificationTarget loaded with the SLOs. */
export function checkNotifyTargets(slos: readonly Slo[], targets: readonly string[]): Diagnostic[] {
  const known = new Set(targets);
  const diagnostics: Diagnostic[] = [];
  for (const slo of slos) {
    for (const name of slo.alerting.notify) {
      if (known.has(name)) continue;
      const guess = closestName(name, targets);
      const hint =
        guess !== undefined
          ? ` (did you mean "${guess}"?)`
          : targets.length === 0
            ? " (no NotificationTarget document is loaded)"
            : ` (known targets: ${targets.join(", ")})`;
      diagnostics.push({
        severity: "error",
        file: slo.source.file,
        line: slo.source.line,
        column: 1,
        path: "spec.alerting.notify",
        message: `SLO "${slo.name}" notifies "${name}", which is not a NotificationTarget${hint}`,
      });
    }
  }
  return diagnostics;
}
