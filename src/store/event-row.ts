import type { AttemptEvent } from "../core/attempt/attempt-event.js";
import { parseStoredJson } from "./parse-stored-json.js";
import type { EventRow, NewEventRow } from "./schema.js";
import { wholeMillis } from "./whole-millis.js";

/**
 * The row storing `event` as the `receivedSeq`-th event received. The body holds what the
 * columns do not: id, attempt id, type and time are stored once, in their columns (they were
 * about a third of a stage event's row; docs/decisions.md, "Cheaper writes").
 */
export function eventToRow(event: AttemptEvent, receivedSeq: number): NewEventRow {
  const { id, attemptId, type, at, ...rest } = event;
  return {
    id,
    attempt_id: attemptId,
    type,
    at: wholeMillis(at, `event ${JSON.stringify(id)}: at`),
    body: JSON.stringify(rest),
    received_seq: receivedSeq,
  };
}

/** The event a row stores; rows written before the body lost its columns' fields read alike. */
export function rowToEvent(
  row: Pick<EventRow, "id" | "attempt_id" | "type" | "at" | "body">,
): AttemptEvent {
  const rest = parseStoredJson<object>(row.body, `stored event ${JSON.stringify(row.id)}`);
  return {
    ...rest,
    id: row.id,
    type: row.type,
    attemptId: row.attempt_id,
    at: row.at,
  } as AttemptEvent;
}
