import { ApiError, errorCodeFor } from "../client/api-client.js";
import { DeploysloError } from "../core/primitives/error-codes.js";
import { apiSink } from "../runner/api-sink.js";
import { openStoreSink } from "../runner/open-store-sink.js";
import type { EventSink } from "../runner/recorder.js";
import type { Store } from "../store/store.js";
import { apiClientFor } from "./api-client-for.js";
import type { CliIo } from "./cli-io.js";
import { DEFAULT_DATABASE } from "./commands/serve.js";

export interface TargetOptions {
  server?: string;
  token?: string;
  database?: string;
}

/** Where the runner and the CI wrappers record: a server (--server) or the embedded store. */
export interface EventTarget {
  readonly sink: EventSink;
  /** The attempt's version, as recorded; undefined when there is no such attempt. */
  versionOf(attemptId: string): Promise<string | undefined>;
  /** Settles once the target can take events; rejects when it cannot be opened. */
  readonly ready: Promise<void>;
  /** Where to look at it afterwards, for people. */
  readonly hint: string;
  /** The embedded store, once open; undefined when recording to a server. */
  readonly store?: Promise<Store>;
  close(): Promise<void>;
}

/** A failure to record, as the error the user sees. */
export function recordingFailure(error: unknown, where: string): DeploysloError {
  if (error instanceof DeploysloError) return error;
  if (error instanceof ApiError)
    return new DeploysloError(
      errorCodeFor(error, "EVENT_INVALID"),
      `could not record to ${where}: ${error.message}`,
      error.errors.map((line) => `server: ${line}`),
    );
  return new DeploysloError(
    "STORE_UNAVAILABLE",
    `could not record to ${where}: ${error instanceof Error ? error.message : String(error)}`,
  );
}

export async function openEventTarget(
  options: TargetOptions,
  timeoutSeconds: number,
  io: CliIo,
): Promise<EventTarget> {
  if (options.server !== undefined) {
    if (options.database !== undefined)
      throw new DeploysloError("USAGE", "give --server or --database, not both");
    const client = apiClientFor(options.server, options.token, timeoutSeconds, io);
    return {
      sink: apiSink(client),
      ready: Promise.resolve(),
      hint: `${client.baseUrl}api/v1/attempts/`,
      async versionOf(id) {
        try {
          const record = await client.getAttempt(id);
          return typeof record.version === "string" ? record.version : undefined;
        } catch (error) {
          if (error instanceof ApiError && error.status === 404) return undefined;
          throw recordingFailure(error, client.baseUrl);
        }
      },
      close: async () => undefined,
    };
  }
  const location = options.database ?? io.env.DEPLOYSLO_DATABASE_URL ?? DEFAULT_DATABASE;
  // Opened while the first stages already run: opening and migrating the store is not part of
  // the promotion, and the events wait in the recorder meanwhile.
  const opening = openStoreSink(location);
  opening.catch(() => undefined);
  return {
    sink: {
      where: location,
      send: async (events) => (await opening).sink.send(events),
    },
    ready: opening.then(() => undefined),
    store: opening.then((opened) => opened.store),
    hint: `the embedded store ${location.replace(/\/\/[^@/]*@/, "//***@")}`,
    versionOf: async (id) => (await (await opening).getAttempt(id))?.version,
    close: async () => {
      const opened = await opening.catch(() => undefined);
      await opened?.close();
    },
  };
}
