import type { ChangeType } from "../../contract/change-type-schema.js";
import { allMembers } from "../primitives/all-members.js";

/** What kind of change a promotion is: exempt kinds pass a freeze, and are still audited. */
export type { ChangeType };
export const CHANGE_TYPES = allMembers<ChangeType>()(["normal", "hotfix", "rollback"]);

/**
 * An SLO's error budget policy (`spec.policy`): what a deployment gate decides for the
 * promotions this SLO selects, from its remaining error budget.
 */
export interface GatePolicy {
  /** Deny promotions while the remaining budget ratio is ≤ 0. */
  readonly freezeWhenExhausted: boolean;
  /** Require an approval while the remaining budget ratio is below this fraction; null: never. */
  readonly approvalBelow: number | null;
  /**
   * Require an approval when the pre-flight estimate gives the promotion a higher chance than
   * this to breach the SLO's threshold; null: never.
   */
  readonly approvalAboveBreachProbability: number | null;
  /** Change types that pass a freeze or an approval requirement (still written to the audit log). */
  readonly exempt: readonly ChangeType[];
}

/**
 * Without `spec.policy`: a deployment or stage SLO freezes normal changes when its budget is
 * spent and lets hotfixes and rollbacks through; a dependency SLO (a leading indicator of
 * something the promotion does not own) only reports.
 */
export const DEFAULT_POLICY: GatePolicy = Object.freeze({
  freezeWhenExhausted: true,
  approvalBelow: null,
  approvalAboveBreachProbability: null,
  exempt: Object.freeze(["hotfix", "rollback"] as const),
});

export const REPORT_ONLY_POLICY: GatePolicy = Object.freeze({
  freezeWhenExhausted: false,
  approvalBelow: null,
  approvalAboveBreachProbability: null,
  exempt: Object.freeze(["hotfix", "rollback"] as const),
});
