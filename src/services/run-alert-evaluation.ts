import {
  alertsBySlo,
  closeRound,
  emptyRound,
  evaluateSloAlerts,
  finishRound,
} from "../core/alerting/alert-round.js";
import { evaluateSlo } from "../core/evaluation/evaluate-slo.js";
import {
  closePolicyRound,
  emptyPolicyRound,
  stepPolicyState,
} from "../core/policy/policy-round.js";
import type { UseCaseCall } from "./service-context.js";

/** The lease that makes one replica at a time the alert evaluator. */
export const ALERT_EVALUATOR_LEASE = "alert-evaluator";
/** Transitions are kept this long for GET /api/v1/alerts. */
export const TRANSITION_RETENTION_MS = 30 * 86_400_000;

export interface AlertEvaluationInput {
  /** The instant evaluated, epoch ms. */
  readonly at: number;
  /** This process's name in the lease; unique per replica. */
  readonly owner: string;
  /** How long a round may take before another replica may take over. */
  readonly leaseMs: number;
}

export interface AlertEvaluationResult {
  /** False when another replica holds the lease (nothing evaluated) or took it meanwhile. */
  readonly evaluated: boolean;
  readonly alerts: number;
  readonly transitions: number;
  /** Notifications enqueued (each to all its targets). */
  readonly notifications: number;
}

const SKIPPED: AlertEvaluationResult = Object.freeze({
  evaluated: false,
  alerts: 0,
  transitions: 0,
  notifications: 0,
});

/**
 * One round of the alert evaluator as of `at`: when this replica holds (or takes) the lease,
 * steps every alert and the policy state of every SLO (one SLO per turn of the event loop) from
 * its persisted state over the engine's in-memory view, then steps the incidents (one page per
 * incident) and commits the result in one transaction fenced by the lease: notifications of
 * firing and resolved incidents, tickets and freezes are enqueued, then the new states and
 * incidents saved. A crash before the commit
 * leaves both unwritten, so the next round (here or on another replica) sees the same
 * transition again; a replica that lost the lease mid-round writes nothing. A freeze starting or
 * ending is a change of the persisted policy state, so it is notified once, like a transition.
 */
export async function runAlertEvaluation({
  ctx: { store, engine },
  input: { at: now, owner, leaseMs },
}: UseCaseCall<"store" | "engine", AlertEvaluationInput>): Promise<AlertEvaluationResult> {
  if (!(await store.acquireLease({ name: ALERT_EVALUATOR_LEASE, owner, now, leaseMs }))) {
    return SKIPPED;
  }
  const previous = await store.listAlertStates({});
  const open = await store.listAlertIncidents();
  const stored = alertsBySlo(previous);
  const previousPolicies = await store.listPolicyStates();
  const storedPolicies = new Map(previousPolicies.map((record) => [record.slo, record]));
  const policyRound = emptyPolicyRound();
  // One snapshot for the whole round: every SLO is stepped over the same committed writes.
  await engine.refresh();
  const slos = engine.slos;
  const round = emptyRound();
  for (const slo of slos) {
    // One SLO per turn of the event loop: a round over many SLOs and a long history would
    // otherwise keep requests waiting for all of it.
    await new Promise((resolve) => setImmediate(resolve));
    const current = await engine.read(
      (configured, tables, verdicts) => {
        if (configured !== slos) return false;
        evaluateSloAlerts(slo, slos, tables, stored, now, round, verdicts);
        const status = evaluateSlo(slo, tables, now);
        stepPolicyState(slo, status, storedPolicies.get(slo.name), now, policyRound);
        return true;
      },
      now,
      false,
    );
    // The config was reloaded meanwhile: the next round evaluates the new SLOs.
    if (!current) return SKIPPED;
  }
  closeRound(round, previous, now);
  finishRound(round, slos, previous, open, now);
  closePolicyRound(policyRound, previousPolicies, now);
  // Notifications of SLOs without targets are counted by replay, not sent.
  const notifications = [
    ...round.notifications.filter((n) => n.targets.length > 0),
    ...policyRound.notifications,
  ];
  const committed = await store.recordAlertEvaluation({
    lease: ALERT_EVALUATOR_LEASE,
    owner,
    notifications,
    states: round.states,
    removed: round.removed,
    transitions: round.transitions,
    incidents: round.incidents,
    keepTransitionsAfter: now - TRANSITION_RETENTION_MS,
    policyStates: policyRound.states,
    removedPolicyStates: policyRound.removed,
  });
  if (!committed) return SKIPPED;
  return {
    evaluated: true,
    alerts: round.states.length,
    transitions: round.transitions.length,
    notifications: notifications.length,
  };
}
