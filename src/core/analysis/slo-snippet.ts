import { formatDuration } from "../primitives/duration.js";
import type { Decimal } from "../primitives/exact-ratio.js";
import type { Selector } from "../spec/slo.js";

/** A decimal fraction as a percentage without float artifacts: 0.995 → "99.5%". */
export function percentText(target: Decimal): string {
  const places = String(target.scale).length - 3;
  if (places <= 0) return `${target.units * 10n ** BigInt(-places)}%`;
  const divisor = 10n ** BigInt(places);
  const fraction = String(target.units % divisor)
    .padStart(places, "0")
    .replace(/0+$/, "");
  return `${target.units / divisor}${fraction === "" ? "" : `.${fraction}`}%`;
}

function yamlValue(value: string): string {
  return /^[A-Za-z0-9_.\-/]+$/.test(value) ? value : JSON.stringify(value);
}

/** A ready SLO spec (deployslo/v1) with the recommended objective, for docs/configuration.md. */
export function sloSnippet(input: {
  readonly name: string;
  readonly selector: Selector;
  readonly thresholdMs: number;
  readonly target: Decimal;
  readonly window: string;
}): string {
  const lines = [
    "apiVersion: deployslo/v1",
    "kind: SLO",
    "metadata:",
    `  name: ${yamlValue(input.name)}`,
    "spec:",
  ];
  const { environment, model, labels } = input.selector;
  const labelEntries = Object.entries(labels);
  if (environment !== null || model !== null || labelEntries.length > 0) {
    lines.push("  selector:");
    if (environment !== null) lines.push(`    environment: ${yamlValue(environment)}`);
    if (model !== null) lines.push(`    model: ${yamlValue(model)}`);
    if (labelEntries.length > 0) {
      lines.push("    labels:");
      for (const [key, value] of labelEntries)
        lines.push(`      ${yamlValue(key)}: ${yamlValue(value)}`);
    }
  }
  lines.push(
    "  objective:",
    `    threshold: ${formatDuration(input.thresholdMs)}`,
    `    target: ${percentText(input.target)}`,
    `  window: ${input.window}`,
  );
  return `${lines.join("\n")}\n`;
}
