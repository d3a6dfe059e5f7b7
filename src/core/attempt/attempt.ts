import type { AttributeValue } from "../../contract/attributes-schema.js";
import type { Outcome } from "../../contract/outcome-schema.js";
import type { StageKind } from "../../contract/stage-kind-schema.js";
import type { StageStatus } from "../../contract/stage-status-schema.js";
import { allMembers } from "../primitives/all-members.js";

export type { AttributeValue, Outcome, StageKind, StageStatus };
export type Attributes = Readonly<Record<string, AttributeValue>>;

/** How an attempt ended, or `in_progress` while it has not. */
export const OUTCOMES = allMembers<Outcome>()([
  "succeeded",
  "failed",
  "rolled_back",
  "timed_out",
  "cancelled",
  "in_progress",
]);

export const STAGE_STATUSES = allMembers<StageStatus>()([
  "succeeded",
  "failed",
  "timed_out",
  "cancelled",
  "skipped",
  "in_progress",
]);

/** `active`: work; `wait`: queueing, approvals, hand-offs. */
export const STAGE_KINDS = allMembers<StageKind>()(["active", "wait"]);

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
