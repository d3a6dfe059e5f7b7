import { parseAttemptEvent } from "../core/attempt/parse-attempt-event.js";
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
  input: { values },
}: {
  readonly ctx: { readonly events: EventWriter; readonly newId: () => string };
  readonly input: { readonly values: readonly LocatedValue[] };
}): Promise<EventWriteResult> {
  const events = parseBatch(
    values,
    (value) => {
      const parsed = parseAttemptEvent(value, ctx.newId);
      return parsed.ok ? { ok: true, item: parsed.event } : parsed;
    },
    { one: "event", many: "events" },
    "EVENT_INVALID",
  );
  return ctx.events.write(events);
}
