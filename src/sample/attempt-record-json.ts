/**
 * The JSON shape of one deployment attempt, as written by the sample generator (one object per
 * NDJSON line). This mirrors the product's input contract:
 *
 * - `startedAt`: the promote request was received. `servingAt`: first successful inference
 *   (present only when the attempt served). `endedAt`: the attempt ended.
 * - All timestamps are RFC 3339 UTC with milliseconds (`Date.prototype.toISOString()`).
 * - `succeeded` requires `servingAt`; `failed`, `rolled_back`, `timed_out` and `cancelled` require
 *   `endedAt`; `in_progress` has neither. `servingAt ≤ endedAt`; every time is `≥ startedAt`.
 *
 * Plain JSON-able types only (no `Date`, no `undefined` values): optional fields are omitted.
 */

export const ATTEMPT_OUTCOMES = [
  "succeeded",
  "failed",
  "rolled_back",
  "timed_out",
  "cancelled",
  "in_progress",
] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

export const STAGE_STATUSES = [
  "succeeded",
  "failed",
  "timed_out",
  "cancelled",
  "skipped",
  "in_progress",
] as const;
export type StageStatus = (typeof STAGE_STATUSES)[number];

export const STAGE_KINDS = ["active", "wait"] as const;
/** `active`: the platform is working; `wait`: waiting on something external (e.g. a human). */
export type StageKind = (typeof STAGE_KINDS)[number];

export const DEPENDENCY_NAMES = [
  "registry_pull",
  "image_pull",
  "infra_api",
  "mesh_propagation",
] as const;
export type DependencyName = (typeof DEPENDENCY_NAMES)[number];

export type AttributeValue = string | number | boolean;

export interface StageRecordJson {
  name: string;
  startedAt: string;
  /** Absent while the stage is still running (`status: "in_progress"`). */
  endedAt?: string;
  status: StageStatus;
  kind: StageKind;
  attributes?: Record<string, AttributeValue>;
}

/** One supporting SLI sample, e.g. how long a registry pull took. */
export interface DependencySampleJson {
  name: DependencyName;
  /** Duration in seconds (≥ 0, millisecond precision). */
  seconds: number;
  /** When the sample was observed (the operation completed). */
  at?: string;
}

export interface AttemptRecordJson {
  id: string;
  model: string;
  version: string;
  environment: string;
  labels?: Record<string, string>;
  startedAt: string;
  servingAt?: string;
  endedAt?: string;
  outcome: AttemptOutcome;
  stages?: StageRecordJson[];
  dependencies?: DependencySampleJson[];
}
