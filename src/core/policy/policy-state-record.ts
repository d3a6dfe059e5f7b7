import type { AlertNotification } from "../notification/alert-notification.js";
import type { PolicyState } from "./budget-standing.js";
import type { SloPolicy } from "./slo-policy-state.js";

/** The last policy state the alert evaluator saw for one SLO, as the store keeps it. */
export interface PolicyStateRecord {
  readonly slo: string;
  readonly state: PolicyState;
  /** When the evaluator first saw this state, epoch ms. */
  readonly since: number;
  readonly evaluatedAt: number;
  /** The policy state as last evaluated, with its numbers. */
  readonly policy: SloPolicy;
  /**
   * While frozen, the notification of the freeze's start: its end goes to the same targets,
   * as the same episode, even when the SLO has left the configuration meanwhile.
   */
  readonly freeze: AlertNotification | null;
}
