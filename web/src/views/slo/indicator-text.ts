import type { SloStatus } from "../../../../src/contract/slo-status-schema.js";
import { count } from "../../format.js";

type Indicator = SloStatus["indicator"];
type Point = Extract<Indicator, { type: "span" }>["from"];

/** "approval end → first inference": the points a span SLO measures between. */
function spanText(from: Point, to: Point): string {
  const start = from === null ? "promote request" : `${from.stage} ${from.at}`;
  const end = to === null ? "first inference" : `${to.stage} ${to.at}`;
  return `${start} → ${end}`;
}

/** What the SLO times, as a chart or column title: "Deployment duration", "Stage provision". */
export function measuredLabel(indicator: Indicator): string {
  switch (indicator.type) {
    case "deployment":
      return "Deployment duration";
    case "stage":
      return `Stage ${indicator.stage} duration`;
    case "dependency":
      return `Dependency ${indicator.dependency} duration`;
    case "span":
      return `Time ${spanText(indicator.from, indicator.to)}`;
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
    case "span":
      return count(
        n,
        "attempt that reached its end point",
        "attempts that reached their end point",
      );
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
