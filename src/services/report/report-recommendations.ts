import type {
  SloReportAttemptsJson,
  SloReportRecommendationJson,
} from "../../contract/slo-report-schema.js";
import type { SloStatus } from "../../core/evaluation/evaluation-result.js";
import { percent, seconds } from "./report-text.js";

/** The share of the tail a stage must hold before the report names it. */
const STAGE_SHARE = 0.3;
/** Attempts that never served, as a share of the bad verdicts, worth a line of their own. */
const FAILURE_SHARE = 0.5;

function thresholdAdvice(
  period: SloStatus,
  attempts: SloReportAttemptsJson,
): SloReportRecommendationJson[] {
  if (period.budgeting !== "occurrences" || period.eligible === 0) return [];
  const { recommendedSeconds, highestTarget } = attempts.threshold;
  const target = percent(period.target, 2);
  if (!period.met && recommendedSeconds !== null)
    return [
      {
        kind: "threshold",
        message: `A threshold of ${seconds(recommendedSeconds)} would have met the ${target} target this period (the SLO's is ${seconds(period.thresholdSeconds)}).`,
      },
    ];
  if (!period.met)
    return [
      {
        kind: "threshold",
        message: `No threshold would have met the ${target} target this period: too many attempts never served.`,
      },
    ];
  if (highestTarget !== null && highestTarget > period.target)
    return [
      {
        kind: "target",
        message: `The ${seconds(period.thresholdSeconds)} threshold met ${percent(highestTarget, 2)} this period, above the ${target} target${recommendedSeconds === null ? "" : `; ${seconds(recommendedSeconds)} would have been enough for it`}.`,
      },
    ];
  return [];
}

/** What to change, from the period's figures: plain sentences with the numbers behind them. */
export function reportRecommendations(
  period: SloStatus,
  attempts: SloReportAttemptsJson | null,
): SloReportRecommendationJson[] {
  if (attempts === null) return [];
  const out = thresholdAdvice(period, attempts);
  const { blamed, outcomes } = attempts;
  if (blamed !== null && blamed.share >= STAGE_SHARE)
    out.push({
      kind: "stage",
      message: `${percent(blamed.share, 0)} of the slowest attempts' extra time was ${blamed.stage}: look there first.`,
    });
  const neverServed = outcomes.failed + outcomes.rolled_back + outcomes.timed_out;
  if (period.bad > 0 && neverServed >= FAILURE_SHARE * period.bad)
    out.push({
      kind: "failures",
      message: `${neverServed} attempts started this period never served (${outcomes.failed} failed, ${outcomes.rolled_back} rolled back, ${outcomes.timed_out} timed out) against ${period.bad} bad verdicts: no threshold makes those good; their causes are worth a look first.`,
    });
  return out;
}
