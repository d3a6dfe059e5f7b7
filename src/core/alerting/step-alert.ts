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
  /**
   * While firing: the last instant its condition held (hysteresis counts from there); null
   * in the other states.
   */
  readonly heldAt: number | null;
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
 * Whether a firing alert whose condition last held at `heldAt` has settled as of now and may
 * resolve (see AlertEvaluator: keepFiringFor and the good attempts since the last bad one).
 */
export type Settled = (heldAt: number) => boolean;

const AT_ONCE: Settled = () => true;

/**
 * One step of an alert's state machine: inactive or resolved → pending (condition holds)
 * → firing (it held for `forMs`; at once when 0) → resolved (it stopped holding and has
 * `settled`: hysteresis keeps a firing alert firing through short lulls). A pending alert
 * whose condition stops holding goes back to inactive without telling anyone.
 */
export function stepAlert(
  previous: AlertState | undefined,
  key: { readonly slo: string; readonly alert: string; readonly severity: AlertSeverity },
  holds: boolean,
  forMs: number,
  at: number,
  settled: Settled = AT_ONCE,
): AlertStep {
  const phase = previous?.state ?? "inactive";
  const since = previous?.since ?? at;
  const to = (state: AlertPhase, transition: boolean): AlertStep => ({
    state: { ...key, state, since: at, heldAt: state === "firing" ? at : null },
    transition: transition && state !== "inactive" ? { ...key, state, at } : null,
  });
  const stay = (): AlertStep => ({
    state: previous ?? { ...key, state: "inactive", since: at, heldAt: null },
    transition: null,
  });
  if (holds) {
    if (phase === "firing") {
      return { state: { ...key, state: "firing", since, heldAt: at }, transition: null };
    }
    if (phase === "pending") return at - since >= forMs ? to("firing", true) : stay();
    return forMs === 0 ? to("firing", true) : to("pending", true);
  }
  if (phase === "firing") return settled(previous?.heldAt ?? since) ? to("resolved", true) : stay();
  if (phase === "pending") return to("inactive", false);
  return stay();
}
