import type { AlertNotification } from "../notification/alert-notification.js";
import type { AlertSeverity } from "../spec/alert-policy.js";
import type { AlertPhase, AlertState } from "./step-alert.js";

/**
 * One alert's state as the service persists it between evaluations: the core AlertState
 * (which `stepAlert` continues from) and what the API shows beside it.
 */
export interface AlertRecord extends AlertState {
  /** When the condition began holding in the current episode (pending or firing); else null. */
  readonly activeAt: number | null;
  /**
   * When the current or last episode began firing (its notifications' `startsAt`); null
   * when it never fired.
   */
  readonly startsAt: number | null;
  /** The last evaluation that looked at this alert. */
  readonly evaluatedAt: number;
  /** Dependency SLOs: the deployment SLOs this alert puts at risk. */
  readonly atRisk: readonly string[];
  /**
   * The firing notification of the current episode while firing (null otherwise, or when the
   * SLO notifies no one): what a resolve is built from if the SLO or rule is removed.
   */
  readonly firing: AlertNotification | null;
}

/** One recorded change of an alert's state, for GET /api/v1/alerts. */
export interface AlertTransitionRecord {
  readonly slo: string;
  readonly alert: string;
  readonly severity: AlertSeverity;
  readonly state: Exclude<AlertPhase, "inactive">;
  readonly at: number;
  /** The episode's firing instant (the notification's startsAt); null for pending. */
  readonly startsAt: number | null;
  /**
   * Why, when not the alert's condition: `removed` (its SLO or rule left the config and a
   * firing alert was resolved).
   */
  readonly reason: "condition" | "removed";
}
