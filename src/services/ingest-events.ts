import type { AttemptEvent } from "../core/attempt-event.js";
import { DeploysloError } from "../core/error-codes.js";
import { parseAttemptEvent } from "../core/parse-attempt-event.js";
import type { EventWriteResult, EventWriter } from "./event-writer.js";
import { type LocatedValue, MAX_RECORDS_PER_REQUEST } from "./ingest-attempts.js";

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
): Promise<EventWriteResult> {
  if (values.length === 0) throw new DeploysloError("EVENT_INVALID", "the request holds no event");
  if (values.length > MAX_RECORDS_PER_REQUEST) {
    throw new DeploysloError(
      "PAYLOAD_TOO_LARGE",
      `a request may hold at most ${MAX_RECORDS_PER_REQUEST} events, got ${values.length}: split it`,
    );
  }
  const events: AttemptEvent[] = [];
  const problems: string[] = [];
  for (const { where, value } of values) {
    const parsed = parseAttemptEvent(value, newId);
    if (parsed.ok) events.push(parsed.event);
    else
      for (const problem of parsed.problems)
        if (problems.length < 100) problems.push(`${where}: ${problem}`);
  }
  if (problems.length > 0) {
    throw new DeploysloError(
      "EVENT_INVALID",
      `${values.length - events.length} of ${values.length} events invalid; nothing was stored`,
      problems,
    );
  }
  return writer.write(events);
}
