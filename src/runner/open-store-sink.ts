import type { Attempt } from "../core/attempt/attempt.js";
import { openStore } from "../store/open-store.js";
import type { Store } from "../store/store.js";
import type { EventSink } from "./recorder.js";
import { storeSink } from "./store-sink.js";

export interface OpenedSink {
  readonly sink: EventSink;
  /** The store itself, for what else the command reads or writes in it (the gate). */
  readonly store: Store;
  getAttempt(id: string): Promise<Attempt | undefined>;
  close(): Promise<void>;
}

/** The embedded store as an event sink: a SQLite file (or postgres:// URL), migrated. */
export async function openStoreSink(location: string): Promise<OpenedSink> {
  const store = await openStore(location);
  return {
    sink: storeSink(store, location),
    store,
    getAttempt: (id) => store.getAttempt(id),
    close: () => store.close(),
  };
}
