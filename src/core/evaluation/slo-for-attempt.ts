import { DeploysloError } from "../primitives/error-codes.js";
import type { Slo } from "../spec/slo.js";
import { selectorMatcher } from "./selector-matcher.js";

/**
 * The SLO whose threshold a promotion is measured against: the one named, or else the first
 * whole-deployment SLO whose selector matches the attempt; undefined when none does.
 */
export function sloForAttempt(
  slos: readonly Slo[],
  attempt: { model: string; environment: string; labels: Readonly<Record<string, string>> },
  name: string | undefined,
): Slo | undefined {
  if (name !== undefined) {
    const named = slos.find((slo) => slo.name === name);
    if (named === undefined)
      throw new DeploysloError(
        "USAGE",
        `no SLO named "${name}" in the --config files (SLOs: ${slos.map((s) => s.name).join(", ") || "none"})`,
      );
    return named;
  }
  return slos.find(
    (slo) => slo.indicator.kind === "deployment" && selectorMatcher(slo.selector)(attempt),
  );
}
