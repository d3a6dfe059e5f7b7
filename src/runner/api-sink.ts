import type { ApiClient } from "../client/api-client.js";
import { DEFAULT_RETRY, withRetries } from "../client/with-retries.js";
import { systemClock } from "../clock/clock.js";
import { systemRandom } from "../clock/random.js";
import type { AttemptEvent } from "../core/attempt/attempt-event.js";
import { attemptEventToJson } from "../core/attempt/attempt-event-to-json.js";
import type { EventSink } from "./recorder.js";

/** Events to a deployslo server (POST /api/v1/events), retried on transient failures. */
export function apiSink(client: ApiClient, retry = DEFAULT_RETRY): EventSink {
  return {
    where: client.baseUrl,
    send: async (events: readonly AttemptEvent[]) => {
      const ndjson = events.map((e) => JSON.stringify(attemptEventToJson(e))).join("\n");
      await withRetries(() => client.postEvents(`${ndjson}\n`), retry, {
        sleep: (ms) => systemClock.sleep(ms),
        random: systemRandom,
      });
    },
  };
}
