import fc from "fast-check";
import { expect, it } from "vitest";
import type { Attempt, Attributes } from "../../src/core/attempt/attempt.js";
import type { AttemptEvent } from "../../src/core/attempt/attempt-event.js";
import { foldAttemptEvents } from "../../src/core/attempt/fold-attempt-events.js";
import { SECOND, T0 } from "../support/make-attempt.js";
import { describeDialect } from "./describe-dialect.js";
import { DIALECTS } from "./dialects.js";

// Records and events of one attempt merge by one rule (docs/api.md, "Records and events"): the
// stored attempt is foldAttemptEvents(all its events, its latest record), whatever order the
// record and the events arrived in.

const time = fc.integer({ min: -5, max: 30 }).map((slot) => T0 + slot * SECOND);
const noAttributes: Attributes = {};

/** Events of attempt `attemptId` without ids (given on use). */
function eventOf(attemptId: string): fc.Arbitrary<AttemptEvent> {
  return fc.oneof(
    fc.record({
      id: fc.constant(""),
      type: fc.constant("attempt.started" as const),
      attemptId: fc.constant(attemptId),
      at: time,
      model: fc.constantFrom("m1", "m2"),
      version: fc.constantFrom("1", "2"),
      environment: fc.constantFrom("production", "staging"),
      labels: fc.constant({}),
      attributes: fc.constant(noAttributes),
    }),
    fc.record({
      id: fc.constant(""),
      type: fc.constant("attempt.serving" as const),
      attemptId: fc.constant(attemptId),
      at: time,
    }),
    fc.record({
      id: fc.constant(""),
      type: fc.constant("attempt.finished" as const),
      attemptId: fc.constant(attemptId),
      at: time,
      outcome: fc.constantFrom("succeeded", "failed", "rolled_back" as const),
    }),
    fc.record({
      id: fc.constant(""),
      type: fc.constant("stage.finished" as const),
      attemptId: fc.constant(attemptId),
      at: time,
      stage: fc.constantFrom("provision", "canary"),
      status: fc.constant("succeeded" as const),
      startedAt: fc.option(time),
      kind: fc.constant(null),
      attributes: fc.constant(noAttributes),
    }),
    fc.record({
      id: fc.constant(""),
      type: fc.constant("dependency.measured" as const),
      attemptId: fc.constant(attemptId),
      at: fc.option(time),
      name: fc.constantFrom("image_pull", "registry_pull"),
      seconds: fc.integer({ min: 0, max: 20 }),
      attributes: fc.constant(noAttributes),
    }),
  );
}

/** A valid record of `attemptId`: the fold of some events (a start included). */
function recordOf(attemptId: string): fc.Arbitrary<Attempt> {
  return fc
    .tuple(
      eventOf(attemptId).filter((e) => e.type === "attempt.started"),
      fc.array(eventOf(attemptId), { maxLength: 6 }),
    )
    .map(([start, rest]) => {
      const events = [start, ...rest].map((e, i) => ({ ...e, id: `r${i}` }));
      const attempt = foldAttemptEvents(attemptId, events);
      if (attempt === undefined) throw new Error("a start folds to an attempt");
      return attempt;
    });
}

type Arrival = { readonly kind: "record" } | { readonly kind: "events"; readonly count: number };

for (const dialect of DIALECTS) {
  describeDialect(dialect, (db) => {
    it("keeps a record's outcome when an attempt.started event arrives later", async () => {
      const store = await db.open();
      await store.upsertAttempts([
        {
          id: "rec-1",
          model: "fraud",
          version: "7",
          environment: "production",
          labels: {},
          startedAt: T0,
          servingAt: null,
          endedAt: T0 + 60 * SECOND,
          outcome: "failed",
          stages: [],
          dependencies: [],
          attributes: {},
        },
      ]);
      const started: AttemptEvent = {
        id: "rec-1-start",
        type: "attempt.started",
        attemptId: "rec-1",
        at: T0 + 5 * SECOND,
        model: "fraud",
        version: "8",
        environment: "production",
        labels: {},
        attributes: {},
      };
      await store.appendEvents([started], foldAttemptEvents);
      expect(await store.getAttempt("rec-1")).toMatchObject({
        startedAt: T0,
        endedAt: T0 + 60 * SECOND,
        outcome: "failed",
        version: "8",
      });
      // A record re-sent later replaces the earlier record, and still merges with the event:
      // the earliest start (the event's), the fields of the latest start (the record's).
      await store.upsertAttempts([
        {
          ...((await store.getAttempt("rec-1")) as Attempt),
          version: "7",
          startedAt: T0 + 10 * SECOND,
          endedAt: T0 + 90 * SECOND,
          outcome: "rolled_back",
        },
      ]);
      expect(await store.getAttempt("rec-1")).toMatchObject({
        startedAt: T0 + 5 * SECOND,
        endedAt: T0 + 90 * SECOND,
        outcome: "rolled_back",
        version: "7",
      });
    });

    it("stores the same attempt whatever order a record and the events arrive in", {
      timeout: 120_000,
    }, async () => {
      const store = await db.open();
      let run = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.integer().chain(() => {
            const attemptId = `p-${++run}`;
            return fc.record({
              attemptId: fc.constant(attemptId),
              record: recordOf(attemptId),
              events: fc.array(eventOf(attemptId), { maxLength: 8 }),
              // Where the record arrives among the event batches, and how they are cut.
              cuts: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 8 }),
              recordAt: fc.nat(),
              order: fc.nat(),
            });
          }),
          async ({ attemptId, record, events, cuts, recordAt, order }) => {
            const withIds = events.map((e, i) => ({ ...e, id: `${attemptId}-e${i}` }));
            // Events in a drawn order (a rotation and a reversal), cut into batches.
            const rotated = withIds.map((_, i) => withIds[(i + order) % withIds.length]);
            const sent = (order % 2 === 0 ? rotated : rotated.reverse()).filter(
              (e): e is AttemptEvent => e !== undefined,
            );
            const arrivals: Arrival[] = [];
            let left = sent.length;
            for (const cut of cuts) {
              if (left === 0) break;
              const count = Math.min(cut, left);
              arrivals.push({ kind: "events", count });
              left -= count;
            }
            if (left > 0) arrivals.push({ kind: "events", count: left });
            arrivals.splice(recordAt % (arrivals.length + 1), 0, { kind: "record" });
            let next = 0;
            for (const arrival of arrivals) {
              if (arrival.kind === "record") {
                await store.upsertAttempts([record]);
              } else {
                await store.appendEvents(sent.slice(next, next + arrival.count), foldAttemptEvents);
                next += arrival.count;
              }
            }
            expect(await store.getAttempt(attemptId)).toEqual(
              foldAttemptEvents(attemptId, withIds, record),
            );
          },
        ),
        { numRuns: dialect.name === "postgres" ? 40 : 80 },
      );
    });
  });
}
