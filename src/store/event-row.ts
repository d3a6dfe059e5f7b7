import type { AttemptEvent } from "../core/attempt/attempt-event.js";
import { parseStoredJson } from "./parse-stored-json.js";
import type { EventRow, NewEventRow } from "./schema.js";
import { wholeMillis } from "./whole-millis.js";

/** The row storing `event` as the `receivedSeq`-th event received. */
export function eventToRow(event: AttemptEvent, receivedSeq: number): NewEventRow {
  return {
    id: event.id,
    attempt_id: event.attemptId,
    type: event.type,
    at: wholeMillis(event.at, `event ${JSON.stringify(event.id)}: at`),
    body: JSON.stringify(event),
    received_seq: receivedSeq,
  };
}

export function rowToEvent(row: Pick<EventRow, "id" | "body">): AttemptEvent {
  return parseStoredJson<AttemptEvent>(row.body, `stored event ${JSON.stringify(row.id)}`);
}
