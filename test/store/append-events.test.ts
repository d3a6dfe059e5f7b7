import { expect, it } from "vitest";
import type { Attempt } from "../../src/core/attempt/attempt.js";
import type { AttemptEvent } from "../../src/core/attempt/attempt-event.js";
import { MINUTE, SECOND, T0 } from "../support/make-attempt.js";
import { describeDialect } from "./describe-dialect.js";
import { DIALECTS } from "./dialects.js";

function started(id: string, attemptId: string, at = T0): AttemptEvent {
  return {
    id,
    type: "attempt.started",
    attemptId,
    at,
    model: "fraud",
    version: "7",
    environment: "production",
    labels: { team: "risk" },
    attributes: {},
  };
}

function serving(id: string, attemptId: string, at: number): AttemptEvent {
  return { id, type: "attempt.serving", attemptId, at };
}

function measured(id: string, attemptId: string): AttemptEvent {
  return {
    id,
    type: "dependency.measured",
    attemptId,
    at: null,
    name: "image_pull",
    seconds: 1.5,
    attributes: {},
  };
}

/** A small fold for the tests: an attempt once its start is known, serving if it served. */
function fold(attemptId: string, events: readonly AttemptEvent[]): Attempt | undefined {
  const start = events.find((event) => event.type === "attempt.started");
  if (start === undefined || start.type !== "attempt.started") return undefined;
  const servingAt = events.find((event) => event.type === "attempt.serving")?.at ?? null;
  return {
    id: attemptId,
    model: start.model,
    version: start.version,
    environment: start.environment,
    labels: start.labels,
    startedAt: start.at,
    servingAt,
    endedAt: null,
    outcome: "in_progress",
    stages: [],
    dependencies: [],
    attributes: { events: events.length },
  };
}

for (const dialect of DIALECTS) {
  describeDialect(dialect, (db) => {
    it("stores new events, folds each touched attempt and upserts it", async () => {
      const store = await db.open();
      const result = await store.appendEvents(
        [started("e1", "x"), started("e2", "y"), serving("e3", "x", T0 + MINUTE)],
        fold,
      );
      expect(result.accepted).toBe(3);
      expect(result.duplicates).toBe(0);
      expect(result.attempts.map((attempt) => attempt.id)).toEqual(["x", "y"]);
      expect(await store.getAttempt("x")).toMatchObject({
        servingAt: T0 + MINUTE,
        attributes: { events: 2 },
      });
      expect(await store.getAttempt("y")).toMatchObject({
        servingAt: null,
        attributes: { events: 1 },
      });
      expect((await store.changesSince(0, 10)).map((change) => change.attempt.id)).toEqual([
        "x",
        "y",
      ]);
    });

    it("calls fold with every stored event of the attempt, in the order received", async () => {
      const store = await db.open();
      const calls: { attemptId: string; ids: string[] }[] = [];
      const recording = (attemptId: string, events: readonly AttemptEvent[]) => {
        calls.push({ attemptId, ids: events.map((event) => event.id) });
        return fold(attemptId, events);
      };
      await store.appendEvents(
        [serving("e-late", "x", T0 + MINUTE), measured("e-dep", "x")],
        recording,
      );
      await store.appendEvents([measured("e-other", "y")], recording);
      await store.appendEvents([started("e-start", "x")], recording);
      expect(calls).toEqual([
        { attemptId: "x", ids: ["e-late", "e-dep"] },
        { attemptId: "y", ids: ["e-other"] },
        { attemptId: "x", ids: ["e-late", "e-dep", "e-start"] },
      ]);
      expect(await store.getAttempt("x")).toMatchObject({ startedAt: T0, servingAt: T0 + MINUTE });
    });

    it("returns stored events from the database unchanged", async () => {
      const store = await db.open();
      const event: AttemptEvent = {
        id: "e-stage",
        type: "stage.finished",
        attemptId: "x",
        at: T0 + 5 * SECOND + 1,
        stage: "canary",
        status: "failed",
        startedAt: null,
        kind: "active",
        attributes: { errors: 3, region: "eu", retried: true },
      };
      await store.appendEvents([event], () => undefined);
      let seen: readonly AttemptEvent[] = [];
      await store.appendEvents([measured("e-next", "x")], (_id, events) => {
        seen = events;
        return undefined;
      });
      expect(seen).toEqual([event, measured("e-next", "x")]);
    });

    it("counts events already stored or repeated in the call as duplicates and ignores them", async () => {
      const store = await db.open();
      await store.appendEvents([started("e1", "x")], fold);
      const calls: string[] = [];
      const result = await store.appendEvents(
        [
          started("e1", "x", T0 + 9 * MINUTE),
          serving("e2", "x", T0 + MINUTE),
          serving("e2", "x", T0 + 2 * MINUTE),
          serving("e2", "x", T0 + 3 * MINUTE),
        ],
        (attemptId, events) => {
          calls.push(attemptId);
          return fold(attemptId, events);
        },
      );
      expect(result).toMatchObject({ accepted: 1, duplicates: 3, acceptedIds: ["e2"] });
      expect(calls).toEqual(["x"]);
      expect(await store.getAttempt("x")).toMatchObject({ startedAt: T0, servingAt: T0 + MINUTE });

      const again = await store.appendEvents([started("e1", "x"), serving("e2", "x", 0)], () => {
        throw new Error("fold must not run when nothing is new");
      });
      expect(again).toEqual({ accepted: 0, duplicates: 2, acceptedIds: [], attempts: [] });
    });

    it("stores events without an attempt when fold returns undefined", async () => {
      const store = await db.open();
      const result = await store.appendEvents([serving("e1", "x", T0)], fold);
      expect(result).toEqual({ accepted: 1, duplicates: 0, acceptedIds: ["e1"], attempts: [] });
      expect(await store.getAttempt("x")).toBeUndefined();
      expect(await store.changesSince(0, 10)).toEqual([]);
      // The event was kept: the start arriving later folds with it.
      await store.appendEvents([started("e2", "x")], fold);
      expect(await store.getAttempt("x")).toMatchObject({
        servingAt: T0,
        attributes: { events: 2 },
      });
    });

    it("rolls the whole call back when fold throws", async () => {
      const store = await db.open();
      await store.appendEvents([started("e0", "y")], fold);
      const before = await store.changesSince(0, 10);
      const failure = new Error("fold failed");
      await expect(
        store.appendEvents(
          [started("e1", "x"), started("e2", "y"), started("e3", "z")],
          (id, events) => {
            if (id === "z") throw failure;
            return fold(id, events);
          },
        ),
      ).rejects.toBe(failure);
      expect(await store.getAttempt("x")).toBeUndefined();
      expect(await store.changesSince(0, 10)).toEqual(before);
      // None of the events was kept: sending them again accepts all three.
      const retry = await store.appendEvents(
        [started("e1", "x"), started("e2", "y"), started("e3", "z")],
        fold,
      );
      expect(retry).toMatchObject({ accepted: 3, duplicates: 0 });
    });

    it("ingests a batch larger than one statement", async () => {
      const store = await db.open();
      const events = Array.from({ length: 2_500 }, (_, i) =>
        started(`bulk-${i}`, `att-${i % 1_200}`, T0 + i),
      );
      const result = await store.appendEvents(events, fold);
      expect(result).toMatchObject({ accepted: 2_500, duplicates: 0 });
      expect(result.attempts).toHaveLength(1_200);
      expect(await store.getAttempt("att-7")).toMatchObject({
        startedAt: T0 + 7,
        attributes: { events: 3 },
      });
    });
  });
}
