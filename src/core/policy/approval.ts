/**
 * A named person's consent to promotions that an SLO's policy holds for approval: one model in
 * one environment (and one version, when given) until it expires.
 */
export interface Approval {
  readonly id: string;
  /** Who approved: the approving token's name. */
  readonly approver: string;
  readonly reason: string;
  readonly model: string;
  readonly environment: string;
  /** Null: any version of the model. */
  readonly version: string | null;
  /** Epoch ms. */
  readonly grantedAt: number;
  /** Epoch ms; the approval no longer counts from this instant on. */
  readonly expiresAt: number;
}

/** The promotion a gate is asked about. */
export interface GateRequest {
  readonly model: string;
  readonly environment: string;
  readonly version: string | null;
  readonly change: "normal" | "hotfix" | "rollback";
  /** Labels of the promotion (team, …); an SLO's label selector matches against them. */
  readonly labels: Readonly<Record<string, string>>;
}

/** Whether `approval` covers `request` at `at`: same scope, granted and not yet expired. */
export function approvalCovers(approval: Approval, request: GateRequest, at: number): boolean {
  return (
    approval.model === request.model &&
    approval.environment === request.environment &&
    (approval.version === null || approval.version === request.version) &&
    approval.grantedAt <= at &&
    at < approval.expiresAt
  );
}
