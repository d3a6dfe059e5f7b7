import type { SloStatus } from "../evaluation/evaluation-result.js";
import type { AlertNotification } from "../notification/alert-notification.js";
import type { Slo } from "../spec/slo.js";
import { type FreezeNumbers, freezeEnded, freezeStarted } from "./freeze-notification.js";
import type { PolicyStateRecord } from "./policy-state-record.js";
import { sloPolicyState } from "./slo-policy-state.js";

/** What one alert round saves of the SLOs' policy states, and the freezes it announces. */
export interface PolicyRound {
  readonly states: PolicyStateRecord[];
  /** SLOs no longer configured: their stored states are deleted. */
  readonly removed: string[];
  readonly notifications: AlertNotification[];
}

export function emptyPolicyRound(): PolicyRound {
  return { states: [], removed: [], notifications: [] };
}

function numbersOf(status: SloStatus): FreezeNumbers {
  return {
    eligible: status.eligible,
    bad: status.bad,
    windowStart: status.window.start,
    windowEnd: status.window.end,
  };
}

/**
 * Steps one SLO's policy state from its stored one to `at` into `round`. Entering `frozen`
 * announces the freeze; leaving it announces its end to the targets that heard of its start.
 * An SLO seen for the first time starts from `open`, so a freeze already under way when the
 * evaluator first sees it is announced once. Other changes (open ↔ approval required) are
 * saved, not notified.
 */
export function stepPolicyState(
  slo: Slo,
  status: SloStatus,
  previous: PolicyStateRecord | undefined,
  at: number,
  round: PolicyRound,
): void {
  const policy = sloPolicyState(slo, status);
  if (previous !== undefined && previous.state === policy.state) {
    round.states.push({ ...previous, evaluatedAt: at, policy });
    return;
  }
  let freeze: AlertNotification | null = null;
  if (policy.state === "frozen") {
    freeze = freezeStarted(slo, policy, numbersOf(status), at);
    if (freeze !== null) round.notifications.push(freeze);
  } else if (previous?.state === "frozen" && previous.freeze !== null) {
    const why = policy.freezeWhenExhausted
      ? "the error budget recovered"
      : "the policy no longer freezes (spec.policy.freezeWhenExhausted)";
    round.notifications.push(
      freezeEnded(previous.freeze, at, why, { policy, numbers: numbersOf(status) }),
    );
  }
  round.states.push({
    slo: slo.name,
    state: policy.state,
    since: at,
    evaluatedAt: at,
    policy,
    freeze,
  });
}

/**
 * Finishes a round once every configured SLO was stepped: the stored state of an SLO that left
 * the configuration is removed, and a freeze it was under ends.
 */
export function closePolicyRound(
  round: PolicyRound,
  previous: readonly PolicyStateRecord[],
  at: number,
): PolicyRound {
  const kept = new Set(round.states.map((state) => state.slo));
  for (const record of previous) {
    if (kept.has(record.slo)) continue;
    round.removed.push(record.slo);
    if (record.state === "frozen" && record.freeze !== null) {
      round.notifications.push(
        freezeEnded(record.freeze, at, "the SLO was removed from the configuration", null),
      );
    }
  }
  return round;
}
