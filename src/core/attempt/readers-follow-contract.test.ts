import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  fromContract,
  mutated,
  patternTimestamp,
  validTimestamp,
} from "../../../test/support/contract-arbitrary.js";
import { attemptEventFromJson, attemptFromRecord } from "../../../test/support/from-contract.js";
import { AttemptEventSchema } from "../../contract/attempt-event-schema.js";
import { AttemptRecordSchema } from "../../contract/attempt-record-schema.js";
import { instantMs, TimestampSchema } from "../../contract/timestamp-schema.js";
import { WrittenAttemptRecordSchema } from "../../contract/written-attempt-record-schema.js";
import { parseTimestamp } from "../primitives/timestamp.js";
import { attemptEventToJson } from "./attempt-event-to-json.js";
import { attemptToRecordJson } from "./attempt-to-record-json.js";
import { foldAttemptEvents } from "./fold-attempt-events.js";
import { parseAttemptEvent } from "./parse-attempt-event.js";
import { parseAttemptRecord } from "./parse-attempt-record.js";

/*
 * The contract's schemas define the record and event formats; parseAttemptRecord and
 * parseAttemptEvent are faster hand-written readers of them (docs/decisions.md: "One
 * contract"). Values generated from the schemas, and the same values made wrong in one place,
 * must be accepted or rejected by both alike, and read to the same value.
 */

const assignId = () => "assigned";

function recordAgrees(value: unknown): boolean {
  const fast = parseAttemptRecord(value);
  const schema = AttemptRecordSchema.safeParse(value);
  expect({ value, fast: fast.ok }).toEqual({ value, fast: schema.success });
  if (fast.ok && schema.success) expect(fast.attempt).toEqual(attemptFromRecord(schema.data));
  return schema.success;
}

function eventAgrees(value: unknown): boolean {
  const fast = parseAttemptEvent(value, assignId);
  const schema = AttemptEventSchema.safeParse(value);
  expect({ value, fast: fast.ok }).toEqual({ value, fast: schema.success });
  if (fast.ok && schema.success)
    expect(fast.event).toEqual(attemptEventFromJson(schema.data, assignId));
  return schema.success;
}

/** Runs `agrees` over `values`; both outcomes must occur often enough to mean something. */
function agreeOn(values: fc.Arbitrary<unknown>, agrees: (value: unknown) => boolean, runs: number) {
  let accepted = 0;
  fc.assert(
    fc.property(values, (value) => {
      if (agrees(value)) accepted++;
    }),
    { numRuns: runs },
  );
  expect(accepted).toBeGreaterThan(runs / 20);
  expect(accepted).toBeLessThan(runs - runs / 20);
}

describe("the hand-written readers follow the contract", () => {
  it("read timestamps as the schema does", () => {
    fc.assert(
      fc.property(fc.oneof(validTimestamp, patternTimestamp), (s) => {
        const ms = parseTimestamp(s);
        expect(TimestampSchema.safeParse(s).success).toBe(ms !== undefined);
        expect(instantMs(s)).toBe(ms);
      }),
      { numRuns: 2000 },
    );
  });

  it("agree on records generated from the schema", () => {
    agreeOn(fromContract(AttemptRecordSchema), recordAgrees, 1000);
  });

  it("agree on those records made wrong in one place", () => {
    agreeOn(mutated(fromContract(AttemptRecordSchema)), recordAgrees, 2000);
  });

  it("agree on events generated from the schema", () => {
    agreeOn(fromContract(AttemptEventSchema), eventAgrees, 1000);
  });

  it("agree on those events made wrong in one place", () => {
    agreeOn(mutated(fromContract(AttemptEventSchema)), eventAgrees, 2000);
  });

  it("write records the schema accepts and read them back to the same attempt", () => {
    fc.assert(
      fc.property(fromContract(AttemptRecordSchema), (value) => {
        const parsed = parseAttemptRecord(value);
        if (!parsed.ok) return;
        const written = JSON.parse(JSON.stringify(attemptToRecordJson(parsed.attempt)));
        expect(WrittenAttemptRecordSchema.safeParse(written).success).toBe(true);
        expect(parseAttemptRecord(written)).toEqual(parsed);
      }),
      { numRuns: 500 },
    );
  });

  it("write events the schema accepts and read them back to the same event", () => {
    fc.assert(
      fc.property(fromContract(AttemptEventSchema), (value) => {
        const parsed = parseAttemptEvent(value, assignId);
        if (!parsed.ok) return;
        const written = JSON.parse(JSON.stringify(attemptEventToJson(parsed.event)));
        expect(AttemptEventSchema.safeParse(written).success).toBe(true);
        expect(parseAttemptEvent(written, assignId)).toEqual(parsed);
      }),
      { numRuns: 500 },
    );
  });

  it("write every attempt folded from events as a record the schema accepts", () => {
    const events = fc.array(fromContract(AttemptEventSchema), { maxLength: 12 });
    fc.assert(
      fc.property(events, (values) => {
        const parsed = values.flatMap((v, i) => {
          const event = parseAttemptEvent({ ...v, attemptId: "a", id: `e${i}` }, assignId);
          return event.ok ? [event.event] : [];
        });
        const attempt = foldAttemptEvents("a", parsed);
        if (attempt === undefined) return;
        const written = JSON.parse(JSON.stringify(attemptToRecordJson(attempt)));
        expect(WrittenAttemptRecordSchema.safeParse(written).success).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
