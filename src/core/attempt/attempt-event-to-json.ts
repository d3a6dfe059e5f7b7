import { formatTimestamp } from "../primitives/timestamp.js";
import type { AttemptEvent } from "./attempt-event.js";

/** An event as POST /api/v1/events reads it (parseAttemptEvent's input): times as RFC 3339. */
export function attemptEventToJson(event: AttemptEvent): Record<string, unknown> {
  const json: Record<string, unknown> = { ...event };
  json.at = event.at === null ? null : formatTimestamp(event.at);
  if (event.type === "stage.finished")
    json.startedAt = event.startedAt === null ? null : formatTimestamp(event.startedAt);
  return json;
}
