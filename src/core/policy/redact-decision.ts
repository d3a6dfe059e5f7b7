import type { GateDecision, GateDecisionKind, SloGateVerdict } from "./gate-decision.js";

/** The verdicts a decision's reasons were made of: every one when allowed, else those holding. */
function reasonVerdicts(
  decision: GateDecisionKind,
  verdicts: readonly SloGateVerdict[],
): SloGateVerdict[] {
  return verdicts.filter((v) => decision === "allow" || v.decision === decision);
}

/**
 * A gate decision as a reader who may not see some SLOs is shown it: the decision itself (it is
 * what the pipeline must obey), the verdicts and reasons of the SLOs it may see, and, in place
 * of the others' names and numbers, one reason counting them. A decision with no SLO, or with
 * only visible ones, is returned as it is.
 */
export function redactDecision(
  decision: GateDecision,
  visible: (slo: string) => boolean,
): GateDecision {
  const hidden = decision.slos.filter((v) => !visible(v.name));
  if (hidden.length === 0) return decision;
  const shown = decision.slos.filter((v) => visible(v.name));
  const hiddenReasons = reasonVerdicts(decision.decision, hidden).length;
  return {
    decision: decision.decision,
    reasons: [
      ...reasonVerdicts(decision.decision, shown).map((v) => v.reason),
      ...(hiddenReasons === 0
        ? []
        : [
            `${hiddenReasons} SLO${hiddenReasons === 1 ? "" : "s"} outside this token's scope decided ${decision.decision}`,
          ]),
    ],
    slos: shown,
  };
}
