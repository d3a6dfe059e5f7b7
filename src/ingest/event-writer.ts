import type { Attempt } from "../core/attempt/attempt.js";
import type { AttemptEvent } from "../core/attempt/attempt-event.js";
import { foldAttemptEvents } from "../core/attempt/fold-attempt-events.js";
import { DEFAULT_RECORD_LIMITS, type RecordLimits } from "../core/attempt/record-limits.js";
import { DeploysloError } from "../core/primitives/error-codes.js";
import type { Store } from "../store/store.js";

export interface EventWriteResult {
  readonly accepted: number;
  readonly duplicates: number;
  /** Attempts (re)built from the events of this request. */
  readonly attempts: number;
}

interface Pending {
  readonly events: readonly AttemptEvent[];
  resolve(result: EventWriteResult): void;
  reject(error: unknown): void;
}

/**
 * Group commit for event ingest: requests that arrive while a transaction is being committed
 * wait and are written together in the next one. An idle server writes a request at once, so
 * nothing waits for a timer; a busy one pays one commit (and, on PostgreSQL, one turn of the
 * writers' lock) per group instead of per event. Each request is still answered only after
 * the transaction holding its events has committed.
 */
export class EventWriter {
  readonly #store: Store;
  readonly #fold: (
    attemptId: string,
    events: readonly AttemptEvent[],
    record?: Attempt,
  ) => Attempt | undefined;
  #queue: Pending[] = [];
  #writing = false;

  constructor(store: Store, limits: RecordLimits = DEFAULT_RECORD_LIMITS) {
    this.#store = store;
    this.#fold = (attemptId, events, record) =>
      withinLimits(foldAttemptEvents(attemptId, events, record), limits);
  }

  write(events: readonly AttemptEvent[]): Promise<EventWriteResult> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ events, resolve, reject });
      if (!this.#writing) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#writing = true;
    while (this.#queue.length > 0) {
      const group = this.#queue;
      this.#queue = [];
      // A request refused while written with others must not take the others down with it:
      // write each of them alone once, so only the one at fault is refused.
      if (group.length > 1 && !(await this.#writeGroup(group, true))) {
        for (const pending of group) await this.#writeGroup([pending], false);
      } else if (group.length === 1) await this.#writeGroup(group, false);
    }
    this.#writing = false;
  }

  /**
   * Writes one group in one transaction and answers its requests. When `tentative`, a refusal
   * of the events themselves (a limit) answers nobody and returns false: the caller writes the
   * requests one by one. Any other failure (the database is down) answers the whole group.
   */
  async #writeGroup(group: readonly Pending[], tentative: boolean): Promise<boolean> {
    try {
      const result = await this.#store.appendEvents(
        group.flatMap((pending) => pending.events),
        this.#fold,
      );
      // Attribute each stored id to the first request of the group that sent it.
      const stored = new Set(result.acceptedIds);
      const built = new Set(result.attempts.map((attempt) => attempt.id));
      for (const pending of group) {
        let accepted = 0;
        const touched = new Set<string>();
        for (const event of pending.events) {
          if (stored.delete(event.id)) {
            accepted++;
            if (built.has(event.attemptId)) touched.add(event.attemptId);
          }
        }
        pending.resolve({
          accepted,
          duplicates: pending.events.length - accepted,
          attempts: touched.size,
        });
      }
      return true;
    } catch (error) {
      if (tentative && error instanceof DeploysloError && error.code === "EVENT_INVALID")
        return false;
      for (const pending of group) pending.reject(error);
      return true;
    }
  }
}

/**
 * Each event is checked alone, so stage and dependency events could grow one attempt without
 * bound; the attempt they fold into is held to the same limits as a record.
 */
function withinLimits(attempt: Attempt | undefined, limits: RecordLimits): Attempt | undefined {
  if (attempt === undefined) return attempt;
  if (attempt.stages.length > limits.stages) {
    throw new DeploysloError(
      "EVENT_INVALID",
      `attempt ${attempt.id} would have ${attempt.stages.length} stages, more than the limit of ${limits.stages}`,
    );
  }
  if (attempt.dependencies.length > limits.dependencies) {
    throw new DeploysloError(
      "EVENT_INVALID",
      `attempt ${attempt.id} would have ${attempt.dependencies.length} dependency samples, more than the limit of ${limits.dependencies}`,
    );
  }
  return attempt;
}
