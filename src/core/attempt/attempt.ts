/** How an attempt ended, or `in_progress` while it has not. */
export const OUTCOMES = [
  "succeeded",
  "failed",
  "rolled_back",
  "timed_out",
  "cancelled",
  "in_progress",
] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const STAGE_STATUSES = [
  "succeeded",
  "failed",
  "timed_out",
  "cancelled",
  "skipped",
  "in_progress",
] as const;
export type StageStatus = (typeof STAGE_STATUSES)[number];

/** `active`: work; `wait`: queueing, approvals, hand-offs. */
export const STAGE_KINDS = ["active", "wait"] as const;
export type StageKind = (typeof STAGE_KINDS)[number];

export type AttributeValue = string | number | boolean;
export type Attributes = Readonly<Record<string, AttributeValue>>;

/** A span inside an attempt. Times are epoch milliseconds. */
export interface Stage {
  readonly name: string;
  readonly startedAt: number;
  readonly endedAt: number | null;
  readonly status: StageStatus;
  readonly kind: StageKind;
  readonly attributes: Attributes;
}

/** A supporting-SLI measurement taken during an attempt (registry_pull, image_pull, …). */
export interface DependencySample {
  readonly name: string;
  readonly seconds: number;
  readonly at: number | null;
  readonly attributes: Attributes;
}

/**
 * One try at promoting a model version to an environment. `startedAt`: the promote request
 * was received; `servingAt`: the new version served its first successful inference;
 * `endedAt`: the attempt ended. Times are epoch milliseconds.
 */
export interface Attempt {
  readonly id: string;
  readonly model: string;
  readonly version: string;
  readonly environment: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly startedAt: number;
  readonly servingAt: number | null;
  readonly endedAt: number | null;
  readonly outcome: Outcome;
  readonly stages: readonly Stage[];
  readonly dependencies: readonly DependencySample[];
  readonly attributes: Attributes;
}
