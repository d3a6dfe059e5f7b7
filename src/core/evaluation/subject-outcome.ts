import type { Outcome, StageStatus } from "../attempt/attempt.js";

/**
 * Outcome codes of a subject (an attempt, or one run of a stage) in the columnar tables.
 * Stage statuses map onto attempt outcomes: a stage "succeeds" when it ends successfully.
 */
export const SUBJECT = {
  succeeded: 0,
  failed: 1,
  cancelled: 2,
  inProgress: 3,
  /** A skipped stage: never counted. */
  skipped: 4,
  /**
   * A stage run or dependency sample of a record that a later record with the same id replaced:
   * never counted, so that resending or correcting a record changes no aggregate.
   */
  replaced: 5,
} as const;
export type SubjectOutcome = (typeof SUBJECT)[keyof typeof SUBJECT];

export function subjectOfOutcome(outcome: Outcome): SubjectOutcome {
  switch (outcome) {
    case "succeeded":
      return SUBJECT.succeeded;
    case "failed":
    case "rolled_back":
    case "timed_out":
      return SUBJECT.failed;
    case "cancelled":
      return SUBJECT.cancelled;
    case "in_progress":
      return SUBJECT.inProgress;
  }
}

export function subjectOfStageStatus(status: StageStatus): SubjectOutcome {
  switch (status) {
    case "succeeded":
      return SUBJECT.succeeded;
    case "failed":
    case "timed_out":
      return SUBJECT.failed;
    case "cancelled":
      return SUBJECT.cancelled;
    case "skipped":
      return SUBJECT.skipped;
    case "in_progress":
      return SUBJECT.inProgress;
  }
}
