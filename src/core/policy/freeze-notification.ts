import { type AlertNotification, notificationKey } from "../notification/alert-notification.js";
import { formatTimestamp } from "../primitives/timestamp.js";
import type { Slo } from "../spec/slo.js";
import { percent } from "./budget-standing.js";
import type { SloPolicy } from "./slo-policy-state.js";

/** The alert name freeze notifications carry, so receivers can route them apart from burn alerts. */
export const FREEZE_ALERT = "budget-freeze";

/** The numbers a freeze notification states: the SLO's counts as of the round. */
export interface FreezeNumbers {
  readonly eligible: number;
  readonly bad: number;
  readonly windowStart: string;
  readonly windowEnd: string;
}

function numberAnnotations(policy: SloPolicy, numbers: FreezeNumbers): Record<string, string> {
  return {
    remaining_ratio: String(policy.remainingRatio),
    eligible: String(numbers.eligible),
    bad: String(numbers.bad),
    window_start: numbers.windowStart,
    window_end: numbers.windowEnd,
    policy_state: policy.state,
  };
}

function counts(policy: SloPolicy, numbers: FreezeNumbers): string {
  return (
    `${numbers.bad} bad of ${numbers.eligible} eligible in the window ` +
    `${numbers.windowStart} → ${numbers.windowEnd}; ${percent(policy.remainingRatio)} of the error budget left.`
  );
}

/**
 * The notification that `slo`'s policy froze normal changes at `at` (its budget is spent), to
 * the SLO's `notify:` targets (null when it has none): the numbers, and what unblocks it.
 */
export function freezeStarted(
  slo: Slo,
  policy: SloPolicy,
  numbers: FreezeNumbers,
  at: number,
): AlertNotification | null {
  const { alerting } = slo;
  if (alerting.notify.length === 0) return null;
  const severity = "ticket";
  const description = [
    `Normal changes to what ${slo.name} selects are denied by the deployment gate since ${formatTimestamp(at)}.`,
    counts(policy, numbers),
    `To unblock: ${policy.unblock ?? "the budget must recover"}.`,
  ].join(" ");
  const annotations: Record<string, string> = {
    summary: `${slo.name}: deployments frozen, the error budget is exhausted (${percent(policy.remainingRatio)} left)`,
    description,
    slo: slo.name,
    severity,
    unblock: policy.unblock ?? "",
    ...numberAnnotations(policy, numbers),
  };
  if (alerting.runbookUrl !== null) annotations.runbook_url = alerting.runbookUrl;
  return {
    key: notificationKey(slo.name, FREEZE_ALERT, at, "firing"),
    kind: "freeze",
    slo: slo.name,
    alert: FREEZE_ALERT,
    severity,
    state: "firing",
    at,
    startsAt: at,
    endsAt: null,
    labels: { ...alerting.labels, slo: slo.name, alert: FREEZE_ALERT, severity },
    annotations,
    targets: [...alerting.notify],
  };
}

/**
 * The end of the freeze `started` announced, at `at`, to the same targets: `why` it ended
 * (the budget recovered, the policy changed, the SLO was removed) and, when known, the numbers.
 */
export function freezeEnded(
  started: AlertNotification,
  at: number,
  why: string,
  now: { readonly policy: SloPolicy; readonly numbers: FreezeNumbers } | null,
): AlertNotification {
  const after =
    now === null
      ? ""
      : now.policy.state === "approval_required"
        ? ` Normal changes now need an approval: ${now.policy.reason}.`
        : " Normal changes pass the gate again.";
  const description = [
    `Frozen from ${formatTimestamp(started.startsAt)} to ${formatTimestamp(at)}: ${why}.${after}`,
    ...(now === null ? [] : [counts(now.policy, now.numbers)]),
  ].join(" ");
  const { unblock: _unblock, ...kept } = started.annotations;
  return {
    ...started,
    key: notificationKey(started.slo, started.alert, started.startsAt, "resolved"),
    state: "resolved",
    at,
    endsAt: at,
    annotations: {
      ...kept,
      summary: `${started.slo}: deployment freeze ended (${why})`,
      description,
      ...(now === null ? {} : numberAnnotations(now.policy, now.numbers)),
    },
  };
}
