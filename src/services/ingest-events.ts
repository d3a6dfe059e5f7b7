import type { AttemptEvent } from "../core/attempt/attempt-event.js";
import { parseAttemptEvent } from "../core/attempt/parse-attempt-event.js";
import { DEFAULT_RECORD_LIMITS, type RecordLimits } from "../core/attempt/record-limits.js";
import type { EventWriteResult, EventWriter } from "../ingest/event-writer.js";
import { type LocatedValue, parseBatch } from "../ingest/parse-batch.js";

/**
 * The event ingest use case: validate every event, then store the new ones and re-fold each
 * attempt they touch from all its events, in one transaction (shared with the requests that
 * arrive meanwhile: see EventWriter). A repeated event id is
 * acknowledged and ignored, so a reporter may retry freely.
 */
export async function ingestEvents(
  writer: EventWriter,
  values: readonly LocatedValue[],
  newId: () => string,
  limits: RecordLimits = DEFAULT_RECORD_LIMITS,
  /** Refuses events the caller may not write (a scoped token's); throws to refuse. */
  admit?: (events: readonly AttemptEvent[]) => Promise<void>,
): Promise<EventWriteResult> {
  const events = parseBatch(
    values,
    (value) => {
      const parsed = parseAttemptEvent(value, newId, limits);
      return parsed.ok ? { ok: true, item: parsed.event } : parsed;
    },
    { one: "event", many: "events" },
    "EVENT_INVALID",
  );
  if (admit !== undefined) await admit(events);
  return writer.write(events);
}
