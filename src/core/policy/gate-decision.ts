import type { GateDecisionKind } from "../../contract/gate-decision-schema.js";
import type { GateEstimate } from "../../contract/gate-estimate-schema.js";
import { allMembers } from "../primitives/all-members.js";
import type { ChangeType } from "../spec/gate-policy.js";

export type { GateDecisionKind, GateEstimate };
export const GATE_DECISIONS = allMembers<GateDecisionKind>()([
  "allow",
  "deny",
  "approval_required",
]);

/** The numbers one SLO's verdict rests on, as the gate saw them. */
export interface SloGateInputs {
  readonly eligible: number;
  readonly bad: number;
  readonly remainingRatio: number;
  readonly windowStart: string;
  readonly windowEnd: string;
}

/** One SLO's part in a gate decision. */
export interface SloGateVerdict {
  readonly name: string;
  readonly decision: GateDecisionKind;
  readonly remainingRatio: number;
  /** Why, in one sentence. */
  readonly reason: string;
  /** What would unblock a deny or an approval requirement; null when allowed. */
  readonly unblock: string | null;
  /** Set when an exempt change type passed what would otherwise have held it. */
  readonly exemptedBy: ChangeType | null;
  /** The approval that turned an approval requirement into allow. */
  readonly approvalId: string | null;
  readonly inputs: SloGateInputs;
}

/** What the gate answers for one promotion, as of one instant. */
export interface GateDecision {
  readonly decision: GateDecisionKind;
  /** One line per SLO that held the promotion, or why it was allowed. */
  readonly reasons: readonly string[];
  readonly slos: readonly SloGateVerdict[];
  /** How long the promotion is likely to take, and its chance to breach each SLO's threshold. */
  readonly estimate?: GateEstimate | null;
}
