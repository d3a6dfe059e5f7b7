import { describe, expect, it } from "vitest";
import { HOUR, makeAttempt, T0 } from "../../../test/support/make-attempt.js";
import { AttemptTables } from "./attempt-tables.js";
import { earliestInProgressStart } from "./earliest-in-progress.js";

describe("earliestInProgressStart", () => {
  it("is the start of the oldest attempt still running, and follows replacements", () => {
    const tables = new AttemptTables();
    expect(earliestInProgressStart(tables)).toBeNull();
    tables.add(
      makeAttempt({ id: "done", startedAt: T0, servingAt: T0 + HOUR, endedAt: T0 + HOUR }),
    );
    tables.add(makeAttempt({ id: "old", startedAt: T0 + HOUR }));
    tables.add(makeAttempt({ id: "new", startedAt: T0 + 2 * HOUR }));
    expect(earliestInProgressStart(tables)).toBe(T0 + HOUR);
    tables.add(
      makeAttempt({ id: "old", startedAt: T0 + HOUR, outcome: "failed", endedAt: T0 + 2 * HOUR }),
    );
    expect(earliestInProgressStart(tables)).toBe(T0 + 2 * HOUR);
  });
});
