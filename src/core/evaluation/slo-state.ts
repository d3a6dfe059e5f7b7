import type { SloState } from "../../contract/slo-state-schema.js";
import type { SloStatus } from "./evaluation-result.js";

/** How the dashboard summarises an SLO (the contract's SloState); see docs/dashboard.md. */
export type { SloState };

/**
 * exhausted: no error budget remains in the window (remaining ≤ 0, with something counted);
 * burning: the budget is being spent faster than the window allows over the last hour or the
 * last six hours (burn rate > 1), so at that pace it runs out before the window ends;
 * ok: otherwise.
 */
export function sloState(status: SloStatus): SloState {
  const counted = status.budgeting === "excess-time" || status.eligible > 0;
  if (counted && status.errorBudget.remaining <= 0) return "exhausted";
  if ((status.burnRates["1h"] ?? 0) > 1 || (status.burnRates["6h"] ?? 0) > 1) return "burning";
  return "ok";
}
