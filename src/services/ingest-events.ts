import type { AttemptEvent } from "../core/attempt/attempt-event.js";
import { parseAttemptEvent } from "../core/attempt/parse-attempt-event.js";
import { DEFAULT_RECORD_LIMITS, type RecordLimits } from "../core/attempt/record-limits.js";
import type { EventWriteResult, EventWriter } from "../ingest/event-writer.js";
import { type LocatedValue, parseBatch } from "../ingest/parse-batch.js";

/**
 * The event ingest use case: validate every event, then store the new ones and re-fold each
 * attempt they touch from all its events, in one transaction (shared with the requests that
 * arrive meanwhile: see EventWriter). A repeated event id is
 * acknowledged and ignored, so a reporter may retry freely. Events sent without an id get one
 * from `newId`.
 */
export async function ingestEvents({
  ctx,
  input: { values, parsed, limits = DEFAULT_RECORD_LIMITS, admit },
}: {
  readonly ctx: { readonly events: EventWriter; readonly newId: () => string };
  readonly input: {
    readonly values: readonly LocatedValue[];
    /**
     * Events a caller has parsed already (with parseAttemptEvent and the same limits), stored
     * with `values`: POST /v1/traces parses each span's events to refuse that span alone.
     */
    readonly parsed?: readonly AttemptEvent[] | undefined;
    readonly limits?: RecordLimits | undefined;
    /** Refuses events the caller may not write (a scoped token's); throws to refuse. */
    readonly admit?: ((events: readonly AttemptEvent[]) => Promise<void>) | undefined;
  };
}): Promise<EventWriteResult> {
  const events =
    values.length === 0 && parsed !== undefined && parsed.length > 0
      ? [...parsed]
      : [
          ...parseBatch(
            values,
            (value) => {
              const result = parseAttemptEvent(value, ctx.newId, limits);
              return result.ok ? { ok: true, item: result.event } : result;
            },
            { one: "event", many: "events" },
            "EVENT_INVALID",
          ),
          ...(parsed ?? []),
        ];
  if (admit !== undefined) await admit(events);
  return ctx.events.write(events);
}
