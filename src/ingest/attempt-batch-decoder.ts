import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { DeploysloError, type ErrorCode } from "../core/primitives/error-codes.js";
import type { EncodedAttempt } from "../store/schema.js";
import { type BatchFormat, decodeAttemptBatch } from "./decode-attempt-batch.js";

/** A body for a worker thread to decode. */
export interface BatchTask {
  readonly id: number;
  readonly bytes: Uint8Array;
  readonly format: BatchFormat;
}

/** A worker thread's answer: the attempts, the client's mistake, or our failure. */
export type BatchTaskResult =
  | { readonly id: number; readonly attempts: EncodedAttempt[] }
  | {
      readonly id: number;
      readonly rejected: {
        readonly code: ErrorCode;
        readonly message: string;
        readonly details: readonly string[];
      };
    }
  | { readonly id: number; readonly failed: string };

/** Decodes POST /api/v1/attempts bodies (decodeAttemptBatch), on worker threads when it has them. */
export interface AttemptBatchDecoder {
  /** The body's attempts, encoded for the store; rejects with a DeploysloError for a bad body. */
  decode(bytes: Uint8Array, format: BatchFormat): Promise<EncodedAttempt[]>;
  /** Stops the worker threads; bodies still being decoded are rejected. */
  close(): Promise<void>;
}

/**
 * Bodies smaller than this are decoded on the calling thread: a few records take less time to
 * decode than a round trip to a worker.
 */
export const INLINE_BELOW_BYTES = 64 * 1024;

/** One thread less than the machine has, for the event loop and the store; at most 4. */
export function defaultIngestWorkers(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

/** The built worker script next to this module (dist/ingest/attempt-batch-worker.js). */
export const ATTEMPT_BATCH_WORKER_URL = new URL("./attempt-batch-worker.js", import.meta.url);

/**
 * A worker's young generation, MB. Decoding a batch allocates tens of MB that die young; with
 * V8's default most of it was scavenged several times and then promoted (docs/decisions.md).
 */
const YOUNG_GENERATION_MB = 32;

function shuttingDown(): DeploysloError {
  return new DeploysloError("SHUTTING_DOWN", "the server is shutting down");
}

interface Pending {
  resolve(attempts: EncodedAttempt[]): void;
  reject(error: Error): void;
}

class WorkerSlot {
  #worker: Worker | undefined;
  readonly pending = new Map<number, Pending>();

  constructor(readonly url: URL) {}

  send(task: BatchTask, pending: Pending): void {
    const worker = this.#worker ?? this.#start();
    this.pending.set(task.id, pending);
    worker.ref();
    const { buffer, byteOffset, byteLength } = task.bytes;
    // Moving the body's memory to the worker is free when the body owns all of it (Fastify's
    // concatenated bodies do); a view into a larger buffer is copied rather than detaching
    // memory that something else may use.
    const owned =
      buffer instanceof ArrayBuffer && byteOffset === 0 && byteLength === buffer.byteLength;
    const bytes = owned ? task.bytes : new Uint8Array(task.bytes);
    worker.postMessage({ ...task, bytes }, [bytes.buffer as ArrayBuffer]);
  }

  async stop(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    this.#failAll(shuttingDown());
    if (worker !== undefined) await worker.terminate();
  }

  #start(): Worker {
    const worker = new Worker(fileURLToPath(this.url), {
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    });
    worker.on("message", (result: BatchTaskResult) => {
      const pending = this.pending.get(result.id);
      if (pending === undefined) return;
      this.pending.delete(result.id);
      if (this.pending.size === 0) worker.unref();
      if ("attempts" in result) pending.resolve(result.attempts);
      else if ("rejected" in result) {
        const { code, message, details } = result.rejected;
        pending.reject(new DeploysloError(code, message, details));
      } else pending.reject(new Error(`decoding a batch on a worker thread: ${result.failed}`));
    });
    worker.on("error", (error) => {
      this.#failAll(new Error(`the batch decoding worker thread failed: ${error.message}`));
    });
    worker.on("exit", (code) => {
      // A worker that died (out of memory, say) is replaced by the next send.
      if (this.#worker === worker) this.#worker = undefined;
      this.#failAll(new Error(`the batch decoding worker thread exited with code ${code}`));
    });
    worker.unref();
    this.#worker = worker;
    return worker;
  }

  #failAll(error: Error): void {
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const pending of waiting) pending.reject(error);
  }
}

/**
 * A decoder with `workers` worker threads (0: none). Each body goes to the worker with the
 * fewest bodies waiting; a worker thread decodes its bodies one at a time, in order. Parsing,
 * validating and encoding a 1,000-record body takes tens of milliseconds of CPU; on a worker
 * it overlaps with the event loop writing the previous body and answering other requests.
 */
export function attemptBatchDecoder(options: {
  readonly workers: number;
  readonly workerUrl?: URL;
}): AttemptBatchDecoder {
  const { workers } = options;
  if (!Number.isInteger(workers) || workers < 0) {
    throw new DeploysloError("USAGE", `ingest workers must be a whole number ≥ 0, not ${workers}`);
  }
  const url = options.workerUrl ?? ATTEMPT_BATCH_WORKER_URL;
  if (workers > 0 && !existsSync(fileURLToPath(url))) {
    throw new DeploysloError(
      "USAGE",
      `the batch decoding worker script ${fileURLToPath(url)} is missing (run npm run build), or use 0 ingest workers`,
    );
  }
  const slots = Array.from({ length: workers }, () => new WorkerSlot(url));
  let nextId = 1;
  let closed = false;
  return {
    decode(bytes, format) {
      if (slots.length === 0 || bytes.byteLength < INLINE_BELOW_BYTES) {
        try {
          return Promise.resolve(decodeAttemptBatch(bytes, format));
        } catch (error) {
          return Promise.reject(error);
        }
      }
      if (closed) return Promise.reject(shuttingDown());
      let slot = slots[0] as WorkerSlot;
      for (const other of slots) if (other.pending.size < slot.pending.size) slot = other;
      return new Promise((resolve, reject) =>
        slot.send({ id: nextId++, bytes, format }, { resolve, reject }),
      );
    },
    async close() {
      closed = true;
      await Promise.all(slots.map((slot) => slot.stop()));
    },
  };
}
