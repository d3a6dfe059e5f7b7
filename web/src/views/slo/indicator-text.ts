import type { SloStatus } from "../../api-types.js";
import { count } from "../../format.js";

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

/** A number of counted subjects: "12 attempts that served", "1 registry_pull sample". */
export function subjectCount(indicator: Indicator, n: number): string {
  switch (indicator.type) {
    case "deployment":
      return count(n, "attempt that served", "attempts that served");
    case "stage":
      return count(
        n,
        `run of ${indicator.stage} that ended`,
        `runs of ${indicator.stage} that ended`,
      );
    case "dependency":
      return count(n, `${indicator.dependency} sample`);
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
