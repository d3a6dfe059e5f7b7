import type { SloState } from "../../../src/contract/slo-state-schema.js";
import { percent } from "../format.js";

/** Remaining error budget as a bar; the ratio is the API's errorBudget.remainingRatio. */
export function BudgetBar({ ratio, state }: { ratio: number; state: SloState }) {
  const shown = Math.max(0, Math.min(1, ratio));
  const tone =
    state === "exhausted" || ratio <= 0
      ? "bad"
      : state === "burning" || ratio < 0.25
        ? "risk"
        : "good";
  return (
    <div className="budget" title={`${percent(ratio, 1)} of the error budget remains`}>
      <div className="budget-track" aria-hidden="true">
        <div className={`budget-fill tone-${tone}`} style={{ width: `${shown * 100}%` }} />
      </div>
      <span className={`budget-label tone-text-${tone}`}>{percent(ratio, 1)}</span>
    </div>
  );
}
