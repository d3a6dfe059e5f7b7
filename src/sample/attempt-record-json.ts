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

export type {
  AttributeValue,
  Outcome as AttemptOutcome,
  StageKind,
  StageStatus,
} from "../core/attempt/attempt.js";
export {
  OUTCOMES as ATTEMPT_OUTCOMES,
  STAGE_KINDS,
  STAGE_STATUSES,
} from "../core/attempt/attempt.js";
export type { AttemptRecordJson, StageRecordJson } from "../core/attempt/attempt-to-record-json.js";

export const DEPENDENCY_NAMES = [
  "registry_pull",
  "image_pull",
  "infra_api",
  "mesh_propagation",
] as const;
export type DependencyName = (typeof DEPENDENCY_NAMES)[number];

/** One supporting SLI sample, e.g. how long a registry pull took. */
export interface DependencySampleJson {
  name: DependencyName;
  /** Duration in seconds (≥ 0, millisecond precision). */
  seconds: number;
  /** When the sample was observed (the operation completed). */
  at?: string;
}
