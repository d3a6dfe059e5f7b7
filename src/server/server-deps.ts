import type { Registry } from "prom-client";
import type { AttemptBatchDecoder } from "../ingest/attempt-batch-decoder.js";
import type { EventWriter } from "../ingest/event-writer.js";
import type { KeyedQueue } from "../services/keyed-queue.js";
import type { ServiceContext } from "../services/service-context.js";
import type { Authorize } from "./auth.js";
import type { ServerConfig } from "./server-config.js";

/**
 * What the HTTP layer needs, built once at start by `deployslo serve` (or a test): the use
 * cases' context (store, engine, clock, random, logger) and the HTTP-only parts.
 */
export interface ServerDeps extends ServiceContext {
  readonly config: ServerConfig;
  readonly events: EventWriter;
  /** Serialises hook deliveries per model and environment; shared with the MLflow poller. */
  readonly hookQueue?: KeyedQueue;
  /** Decodes attempt batch bodies, on worker threads when it has them. */
  readonly attemptBatches: AttemptBatchDecoder;
  readonly authorize: Authorize;
  readonly metrics: Registry;
  /** Ids for events sent without one. */
  newId(): string;
  /** False until the first load of the stored attempts has finished. */
  ready(): boolean;
}
