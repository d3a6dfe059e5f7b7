import type { AttemptEventInput } from "../../contract/attempt-event-schema.js";

/** An attempt event as a receiver maps it: every field but the attempt it belongs to. */
export type UnattachedEvent = AttemptEventInput extends infer E
  ? E extends unknown
    ? Omit<E, "attemptId"> & { readonly id: string }
    : never
  : never;

/**
 * Which attempt a delivery belongs to when it names none: the model and environment, and the
 * version when the tool knows it (docs/integrations.md, "Correlation").
 */
export interface CorrelationKey {
  readonly model: string;
  readonly environment: string;
  readonly version?: string | undefined;
}

/** What starts an attempt when the delivery opens one: the attempt.started it adds. */
export interface AttemptStart {
  readonly at: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly attributes?: Readonly<Record<string, string | number | boolean>>;
}

/**
 * A tool's delivery, read: the attempt events it stands for and how to find their attempt.
 * - `promote`: the promote request (an alias move). It joins the key's attempt in progress,
 *   else starts a new one; a promotion after the last one ended is a new attempt.
 * - `follow`: a deployment tool's progress. It joins the key's latest attempt started at or
 *   before `at`, else (when it knows the version) starts one that a later promote joins.
 */
export interface HookMapping {
  readonly kind: "mapped";
  readonly source: string;
  readonly role: "promote" | "follow";
  /** An attempt id the payload names: used as it is, no lookup. */
  readonly attemptId?: string | undefined;
  readonly key: CorrelationKey;
  /** Epoch ms of the delivery's earliest fact, for `follow` lookups. */
  readonly at: number;
  /** Unique per delivery and stable across redeliveries: the id of an attempt it starts. */
  readonly origin: string;
  /** How to start an attempt, when the delivery may start one (needs key.version). */
  readonly start?: AttemptStart | undefined;
  readonly events: readonly UnattachedEvent[];
}

/** A well-formed delivery that records nothing (a ping, an unwatched alias), and why. */
export interface HookIgnored {
  readonly kind: "ignored";
  readonly reason: string;
}

export type HookReading = HookMapping | HookIgnored;

export function ignored(reason: string): HookIgnored {
  return { kind: "ignored", reason };
}
