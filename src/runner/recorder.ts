import type { AttemptEvent } from "../core/attempt/attempt-event.js";

/** Where lifecycle events go: the embedded store or a deployslo server. */
export interface EventSink {
  /** Stores the events (idempotent by id); rejects when they may not be stored. */
  send(events: readonly AttemptEvent[]): Promise<void>;
  /** A short name for messages: the database or the server's URL. */
  readonly where: string;
}

/**
 * Records events as they happen without holding up the pipeline: `record` queues, and one
 * send at a time takes everything queued so far. A batch that fails is kept and sent again
 * with the next one (ids make that harmless); `flush` tries once more and throws the error
 * if events are still unsent.
 */
export class Recorder {
  readonly #sink: EventSink;
  #queue: AttemptEvent[] = [];
  #sending: Promise<void> | undefined;
  #lastError: unknown;

  constructor(sink: EventSink) {
    this.#sink = sink;
  }

  get where(): string {
    return this.#sink.where;
  }

  record(event: AttemptEvent): void {
    this.#queue.push(event);
    this.#sending ??= this.#drain();
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue;
      this.#queue = [];
      try {
        await this.#sink.send(batch);
        this.#lastError = undefined;
      } catch (error) {
        this.#lastError = error;
        this.#queue = [...batch, ...this.#queue];
        break;
      }
    }
    this.#sending = undefined;
  }

  /** Resolves once every recorded event is stored; throws the last error if some are not. */
  async flush(): Promise<void> {
    await this.#sending;
    if (this.#queue.length > 0) {
      this.#sending = this.#drain();
      await this.#sending;
    }
    if (this.#queue.length > 0) throw this.#lastError;
  }
}
