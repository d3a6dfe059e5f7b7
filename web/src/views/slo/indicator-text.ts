import type { SloStatus } from "../../api-types.js";

type Indicator = SloStatus["indicator"];

/** What the SLO times, as a chart or column title: "Deployment duration", "Stage provision". */
export function measuredLabel(indicator: Indicator): string {
  switch (indicator.type) {
    case "deployment":
      return "Deployment duration";
    case "stage":
      return `Stage ${indicator.stage} duration`;
    case "dependency":
      return `Dependency ${indicator.dependency} duration`;
  }
}

/** What one counted subject is, in the plural: "attempts that served", "registry_pull samples". */
export function subjectsLabel(indicator: Indicator): string {
  switch (indicator.type) {
    case "deployment":
      return "attempts that served";
    case "stage":
      return `runs of ${indicator.stage} that ended`;
    case "dependency":
      return `${indicator.dependency} samples`;
  }
}

/** The header's facts about an SLO, each a separate phrase (joined with " · " on screen). */
export function sloFacts(slo: SloStatus, threshold: string): string[] {
  return [
    measuredLabel(slo.indicator),
    `${slo.window.kind} window of ${slo.window.length}`,
    `${slo.budgeting} budgeting`,
    `threshold ${threshold}`,
  ];
}
