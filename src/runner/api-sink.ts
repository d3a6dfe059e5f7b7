import type { ApiClient } from "../client/api-client.js";
import { DEFAULT_RETRY, withRetries } from "../client/with-retries.js";
import type { AttemptEvent } from "../core/attempt/attempt-event.js";
import { attemptEventToJson } from "../core/attempt/attempt-event-to-json.js";
import type { EventSink } from "./recorder.js";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Events to a deployslo server (POST /api/v1/events), retried on transient failures. */
export function apiSink(client: ApiClient, retry = DEFAULT_RETRY): EventSink {
  return {
    where: client.baseUrl,
    send: async (events: readonly AttemptEvent[]) => {
      const ndjson = events.map((e) => JSON.stringify(attemptEventToJson(e))).join("\n");
      await withRetries(() => client.postEvents(`${ndjson}\n`), retry, {
        sleep,
        random: Math.random,
      });
    },
  };
}
