import type { Clock } from "../clock/clock.js";
import type { AttributeValue } from "../core/attempt/attempt.js";
import type { PipelineAction, ServingProbe } from "../core/pipeline/pipeline.js";
import type { Template } from "../core/primitives/template.js";

/** What one try of a stage's action may use. */
export interface ActionContext {
  readonly stage: string;
  /** 1 for the first try. */
  readonly tryNumber: number;
  /** Aborts when the try must stop: its timeout, the attempt's, a failed sibling, a cancel. */
  readonly signal: AbortSignal;
  readonly clock: Clock;
  /** Where commands start and relative paths resolve. */
  readonly baseDir: string;
  /** A folder of the attempt's own, for files an action hands to what it runs. */
  readonly scratch: string;
  /** A command's environment, before the DEPLOYSLO_* variables the `run` action adds. */
  readonly env: Readonly<Record<string, string>>;
  /** Expands a template of the pipeline; throws with the reason when it cannot. */
  readonly expand: (template: Template) => string;
  /** Each line a command writes. */
  readonly onLine?: (line: string, stream: "stdout" | "stderr") => void;
  /** The pipeline's serving probe: the request a canary sends to each version. */
  readonly serving?: ServingProbe;
  /**
   * Tells the runner the new version answered a production request well (a canary step with
   * traffic on it): the first call is the attempt's servingAt.
   */
  readonly onServing?: (at: number, latencyMs: number) => void;
}

/** How one try went. */
export interface ActionResult {
  readonly ok: boolean;
  readonly error?: string;
  /** For the stage's span. */
  readonly attributes?: Readonly<Record<string, AttributeValue>>;
  /** `key=value` values for later stages (`${stages.NAME.key}`, $STAGE_NAME_KEY). */
  readonly outputs?: Readonly<Record<string, string>>;
  /** The last lines of output of what the action ran, to show when the stage fails. */
  readonly log?: readonly string[];
  /** How the command ended, for an action that runs one. */
  readonly exit?: CommandExitStatus;
}

export interface CommandExitStatus {
  /** null when a signal ended it. */
  readonly code: number | null;
  readonly signal: string | null;
  /** Why it could not be started, when it could not. */
  readonly spawnError: string | null;
}

/**
 * One kind of stage (`run`, `http`, `checksum`, and whatever comes next): the runner times,
 * retries, records and stops it; the action only does one try. It must settle soon after
 * `context.signal` aborts, and may throw: a throw is a failed try with the error's message.
 */
export type StageAction<A> = (action: A, context: ActionContext) => Promise<ActionResult>;

/** The pipeline action of one type. */
export type ActionOfType<T extends PipelineAction["type"]> = Extract<PipelineAction, { type: T }>;
