import { parentPort, workerData } from "node:worker_threads";
import type { RecordLimits } from "../core/attempt/record-limits.js";
import { DeploysloError } from "../core/primitives/error-codes.js";
import type { BatchTask, BatchTaskResult } from "./attempt-batch-decoder.js";
import { decodeAttemptBatch } from "./decode-attempt-batch.js";

// The worker thread of attemptBatchDecoder: decodes one body per message, in arrival order.
const port = parentPort;
if (port === null) throw new Error("attempt-batch-worker.js runs only as a worker thread");
const { limits } = workerData as { limits: RecordLimits };
port.on("message", (task: BatchTask) => {
  let result: BatchTaskResult;
  try {
    result = { id: task.id, attempts: decodeAttemptBatch(task.bytes, task.format, limits) };
  } catch (error) {
    result =
      error instanceof DeploysloError
        ? {
            id: task.id,
            rejected: { code: error.code, message: error.message, details: error.details },
          }
        : {
            id: task.id,
            failed: error instanceof Error ? (error.stack ?? error.message) : String(error),
          };
  }
  port.postMessage(result);
});
