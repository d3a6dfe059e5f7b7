import type { AttemptEventJson } from "../../contract/attempt-event-schema.js";
import { formatTimestamp } from "../primitives/timestamp.js";
import type { AttemptEvent } from "./attempt-event.js";

/** An event as POST /api/v1/events reads it (parseAttemptEvent's input): times as RFC 3339. */
export function attemptEventToJson(event: AttemptEvent): AttemptEventJson {
  switch (event.type) {
    case "stage.finished":
      return {
        ...event,
        at: formatTimestamp(event.at),
        startedAt: event.startedAt === null ? null : formatTimestamp(event.startedAt),
      };
    case "dependency.measured":
      return { ...event, at: event.at === null ? null : formatTimestamp(event.at) };
    default:
      return { ...event, at: formatTimestamp(event.at) };
  }
}
