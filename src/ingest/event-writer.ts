import type { AttemptEvent } from "../core/attempt/attempt-event.js";
import { foldAttemptEvents } from "../core/attempt/fold-attempt-events.js";
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
  #queue: Pending[] = [];
  #writing = false;

  constructor(store: Store) {
    this.#store = store;
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
      try {
        const result = await this.#store.appendEvents(
          group.flatMap((pending) => pending.events),
          foldAttemptEvents,
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
      } catch (error) {
        for (const pending of group) pending.reject(error);
      }
    }
    this.#writing = false;
  }
}
