import type { AttemptEvent } from "../core/attempt/attempt-event.js";
import { EventWriter } from "../ingest/event-writer.js";
import type { Store } from "../store/store.js";
import type { EventSink } from "./recorder.js";

/** Events into the embedded store, folded into the attempt as the server would. */
export function storeSink(store: Store, where: string): EventSink {
  const writer = new EventWriter(store);
  return {
    where,
    send: async (events: readonly AttemptEvent[]) => {
      await writer.write(events);
    },
  };
}
