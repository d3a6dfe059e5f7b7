import { describe, expect, it } from "vitest";
import type { AttemptEvent } from "./attempt-event.js";
import { attemptEventToJson } from "./attempt-event-to-json.js";
import { parseAttemptEvent } from "./parse-attempt-event.js";

describe("attemptEventToJson", () => {
  it("round-trips through parseAttemptEvent", () => {
    const events: AttemptEvent[] = [
      {
        id: "e1",
        type: "stage.finished",
        attemptId: "a",
        at: Date.parse("2026-10-01T10:00:01.250Z"),
        stage: "start",
        status: "failed",
        startedAt: Date.parse("2026-10-01T10:00:00Z"),
        kind: "wait",
        attributes: { tries: 2 },
      },
      {
        id: "e2",
        type: "dependency.measured",
        attemptId: "a",
        at: null,
        name: "x",
        seconds: 0.5,
        attributes: {},
      },
    ];
    for (const event of events) {
      const json = JSON.parse(JSON.stringify(attemptEventToJson(event)));
      expect(parseAttemptEvent(json, () => "unused")).toEqual({ ok: true, event });
    }
  });
});
