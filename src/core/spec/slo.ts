import type { Decimal } from "../primitives/exact-ratio.js";
import type { AlertPolicy } from "./alert-policy.js";
import type { GatePolicy } from "./gate-policy.js";

/** An instant inside an attempt: the start or the end of a named stage. */
export interface SpanPoint {
  readonly stage: string;
  readonly at: "start" | "end";
}

/**
 * What is measured: the whole deployment (startedAt→servingAt), the deployment between other
 * points (`span`: from a stage's start or end instead of startedAt, and/or to one instead of
 * servingAt; null keeps that end's default), each run of one stage, or each sample of one
 * dependency (a leading indicator).
 */
export type Indicator =
  | { readonly kind: "deployment" }
  | {
      readonly kind: "span";
      readonly from: SpanPoint | null;
      readonly to: SpanPoint | null;
    }
  | { readonly kind: "stage"; readonly stage: string }
  | { readonly kind: "dependency"; readonly dependency: string };

export type SloWindow =
  | { readonly kind: "rolling"; readonly ms: number }
  | { readonly kind: "calendar"; readonly unit: "month" | "week" };

export type Budgeting = "occurrences" | "excess-time";

/** Which attempts an SLO counts; every given field must match. Globs use * and ?. */
export interface Selector {
  readonly environment: string | null;
  readonly model: string | null;
  readonly labels: Readonly<Record<string, string>>;
  /**
   * Attribute values the attempt must have, compared as text: the attempt's own attribute,
   * else that of its first stage carrying one of that name (see attemptAttribute); a stage SLO
   * reads each run's own attributes first (runAttribute). Absent: none.
   */
  readonly attributes?: Readonly<Record<string, string>>;
}

export interface Objective {
  readonly thresholdMs: number;
  /** Fraction of eligible attempts that must be good, kept as an exact decimal. */
  readonly target: Decimal;
  /** Set when the spec said `percentile: N` instead of a target (then target = N%). */
  readonly percentile: number | null;
}

/** A stage's share of the threshold (`spec.stageBudgets`), in the order the spec lists them. */
export interface StageBudget {
  readonly stage: string;
  readonly budgetMs: number;
}

/** An SLO as the rest of the program uses it: validated, normalised and frozen. */
export interface Slo {
  readonly name: string;
  readonly description: string | null;
  readonly labels: Readonly<Record<string, string>>;
  readonly selector: Selector;
  readonly indicator: Indicator;
  readonly objective: Objective;
  readonly budgeting: Budgeting;
  readonly window: SloWindow;
  readonly alerting: AlertPolicy;
  /** What the deployment gate decides from this SLO's remaining budget. */
  readonly policy: GatePolicy;
  /**
   * How long an attempt this SLO matches may stay in progress before it is recorded as
   * `timed_out` (spec.inProgressTimeout, else defaultInProgressTimeoutMs of the threshold).
   */
  readonly inProgressTimeoutMs: number;
  /** `spec.stageBudgets`, absent when the spec gives none. */
  readonly stageBudgets?: readonly StageBudget[];
  /** Where the document starts, and its `spec.stageBudgets` line when it has one. */
  readonly source: {
    readonly file: string;
    readonly line: number;
    readonly stageBudgetsAt?: { readonly line: number; readonly column: number };
  };
}
