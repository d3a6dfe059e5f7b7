import type { AttemptEventType } from "../../contract/attempt-event-schema.js";
import { allMembers } from "../primitives/all-members.js";
import type { Attributes, Outcome, StageKind, StageStatus } from "./attempt.js";

/**
 * Lifecycle events for pipelines that report as they go (POST /api/v1/events). Events of one
 * attempt may arrive in any order; foldAttemptEvents turns the set into the attempt.
 * `id` makes delivery idempotent: an event whose id was seen before is acknowledged and ignored.
 * Times are epoch milliseconds.
 */
export type AttemptEvent =
  | {
      readonly id: string;
      readonly type: "attempt.started";
      readonly attemptId: string;
      readonly at: number;
      readonly model: string;
      readonly version: string;
      readonly environment: string;
      readonly labels: Readonly<Record<string, string>>;
      readonly attributes: Attributes;
    }
  | {
      readonly id: string;
      readonly type: "stage.started";
      readonly attemptId: string;
      readonly at: number;
      readonly stage: string;
      readonly kind: StageKind;
      readonly attributes: Attributes;
    }
  | {
      readonly id: string;
      readonly type: "stage.finished";
      readonly attemptId: string;
      readonly at: number;
      readonly stage: string;
      readonly status: Exclude<StageStatus, "in_progress">;
      /** When the stage started, for reporters that send one event per stage. */
      readonly startedAt: number | null;
      readonly kind: StageKind | null;
      readonly attributes: Attributes;
    }
  | {
      readonly id: string;
      readonly type: "attempt.serving";
      readonly attemptId: string;
      readonly at: number;
    }
  | {
      readonly id: string;
      readonly type: "attempt.finished";
      readonly attemptId: string;
      readonly at: number;
      readonly outcome: Exclude<Outcome, "in_progress">;
    }
  | {
      readonly id: string;
      readonly type: "dependency.measured";
      readonly attemptId: string;
      readonly at: number | null;
      readonly name: string;
      readonly seconds: number;
      readonly attributes: Attributes;
    };

export type { AttemptEventType };
export const ATTEMPT_EVENT_TYPES = allMembers<AttemptEventType>()([
  "attempt.started",
  "stage.started",
  "stage.finished",
  "attempt.serving",
  "attempt.finished",
  "dependency.measured",
]);
// The domain's events are the contract's, times read as epoch milliseconds.
type DomainType = AttemptEvent["type"];
const _sameTypes: [DomainType, AttemptEventType] extends [AttemptEventType, DomainType]
  ? true
  : false = true;
