import type { AlertSeverity } from "../spec/alert-policy.js";

export type AlertPhase = "inactive" | "pending" | "firing" | "resolved";

/** Where one alert of one SLO stands; persisted between evaluations. */
export interface AlertState {
  readonly slo: string;
  readonly alert: string;
  readonly severity: AlertSeverity;
  readonly state: AlertPhase;
  /** When it entered `state` (epoch ms). */
  readonly since: number;
}

/** A change worth telling someone about (firing, resolved) or recording (pending). */
export interface AlertTransition {
  readonly slo: string;
  readonly alert: string;
  readonly severity: AlertSeverity;
  readonly state: "pending" | "firing" | "resolved";
  readonly at: number;
}

export interface AlertStep {
  readonly state: AlertState;
  readonly transition: AlertTransition | null;
}

/**
 * One step of an alert's state machine: inactive or resolved → pending (condition holds)
 * → firing (it held for `forMs`; at once when 0) → resolved (it stopped holding). A pending
 * alert whose condition stops holding goes back to inactive without telling anyone.
 */
export function stepAlert(
  previous: AlertState | undefined,
  key: { readonly slo: string; readonly alert: string; readonly severity: AlertSeverity },
  holds: boolean,
  forMs: number,
  at: number,
): AlertStep {
  const phase = previous?.state ?? "inactive";
  const since = previous?.since ?? at;
  const to = (state: AlertPhase, transition: boolean): AlertStep => ({
    state: { ...key, state, since: at },
    transition: transition && state !== "inactive" ? { ...key, state, at } : null,
  });
  const stay = (): AlertStep => ({
    state: previous ?? { ...key, state: "inactive", since: at },
    transition: null,
  });
  if (holds) {
    if (phase === "firing") return stay();
    if (phase === "pending") return at - since >= forMs ? to("firing", true) : stay();
    return forMs === 0 ? to("firing", true) : to("pending", true);
  }
  if (phase === "firing") return to("resolved", true);
  if (phase === "pending") return to("inactive", false);
  return stay();
}
