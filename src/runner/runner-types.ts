import type { Clock } from "../clock/clock.js";
import type { Attributes, Outcome, StageKind } from "../core/attempt/attempt.js";
import type { AttemptEvent } from "../core/attempt/attempt-event.js";
import type { Recorder } from "./recorder.js";
import type { DagStatus } from "./run-dag.js";

/** An event of the attempt being run, before the recorder gives it its ids. */
export type NewEvent = AttemptEvent extends infer E
  ? E extends AttemptEvent
    ? Omit<E, "id" | "attemptId">
    : never
  : never;

export interface PromoteRequest {
  readonly attemptId: string;
  readonly model: string;
  readonly version: string;
  readonly environment: string;
  readonly labels?: Readonly<Record<string, string>>;
}

/** What the runner tells whoever shows progress. Times are epoch ms. */
export type RunnerEvent =
  | {
      readonly type: "stage-started";
      readonly stage: string;
      readonly kind: StageKind;
      readonly at: number;
      readonly rollback: boolean;
    }
  | {
      readonly type: "stage-retry";
      readonly stage: string;
      readonly try: number;
      readonly error: string;
      readonly at: number;
    }
  | { readonly type: "stage-finished"; readonly stage: StageReport; readonly at: number }
  | { readonly type: "stage-log"; readonly stage: string; readonly line: string }
  | {
      readonly type: "probe-try";
      readonly tries: number;
      readonly problem: string;
      readonly at: number;
    }
  | { readonly type: "rollback-started"; readonly at: number };

export interface StageReport {
  readonly name: string;
  readonly kind: StageKind;
  readonly status: DagStatus;
  readonly startedAt: number | null;
  readonly endedAt: number | null;
  readonly tries: number;
  readonly error: string | null;
  readonly attributes: Attributes;
  /** An onFailure stage. */
  readonly rollback: boolean;
  /** When it failed or timed out: the last lines of what it and the stages it needs started. */
  readonly log: readonly LogTail[];
}

/** The last lines of a command's output, or of a log file a stage named as `log=PATH`. */
export interface LogTail {
  /** The stage that ran the command or named the file. */
  readonly stage: string;
  /** The log file, or null for the command's own output. */
  readonly file: string | null;
  readonly lines: readonly string[];
}

export interface PromoteResult {
  readonly attemptId: string;
  readonly outcome: Exclude<Outcome, "in_progress">;
  readonly startedAt: number;
  readonly servingAt: number | null;
  readonly endedAt: number;
  readonly stages: readonly StageReport[];
  /** Stage names whose chain set when the new version served (or the attempt ended). */
  readonly criticalPath: readonly string[];
  readonly probe: {
    readonly tries: number;
    readonly latencyMs: number | null;
    readonly error: string | null;
  } | null;
  /** Whether onFailure ran, and how it went. */
  readonly rollback: "none" | "succeeded" | "failed";
  /** What the deployment gate answered; null when it was not asked. */
  readonly gate: {
    readonly decision: GateCheck["decision"] | null;
    readonly reasons: readonly string[];
    readonly where: string | null;
    /** Why it could not be asked. */
    readonly error: string | null;
    readonly estimate?: string | null;
  } | null;
}

export interface RunnerDeps {
  readonly clock: Clock;
  readonly recorder: Recorder;
  /** `run` commands start here, and relative checksum files resolve against it. */
  readonly baseDir: string;
  /** The runner's own environment, passed on to `run` commands and read by ${env.NAME}. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly newId: () => string;
  readonly onEvent?: (event: RunnerEvent) => void;
  /** The SLO's threshold, for a pipeline with onThresholdExceeded: rollback. */
  readonly thresholdMs?: number | null;
  /** Asked before the first stage, recorded as the `gate` stage; absent: no gate. */
  readonly gate?: () => Promise<GateCheck>;
}

/** What the deployment gate answered a promotion. */
export interface GateCheck {
  readonly decision: "allow" | "deny" | "approval_required";
  readonly reasons: readonly string[];
  /** Where it was decided: a server's URL, or the embedded store. */
  readonly where: string;
  /** The pre-flight estimate, in one line; null when there was none. */
  readonly estimate?: string | null;
}
