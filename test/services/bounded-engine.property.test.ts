import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Attempt } from "../../src/core/attempt/attempt.js";
import { AttemptTables } from "../../src/core/evaluation/attempt-tables.js";
import { evaluateSlo } from "../../src/core/evaluation/evaluate-slo.js";
import { evaluateSlos } from "../../src/core/evaluation/evaluate-slos.js";
import type { Slo } from "../../src/core/spec/slo.js";
import {
  addHistoryFigures,
  historyFigures,
} from "../../src/integrations/prometheus/verdict-counters.js";
import { SloEngine } from "../../src/services/slo-engine.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store.js";
import { arbitraryAttempt } from "../support/arbitraries.js";
import { DAY, HOUR, MINUTE, makeSlo, T0 } from "../support/make-attempt.js";

/**
 * The engine holds only the attempts its SLOs can still see and reads older periods from the
 * store on demand: every answer must equal a full recompute over every stored attempt, at
 * instants now and in the past, before and after the view moves on.
 */
const SPAN = 60 * DAY;
const SLOS: Slo[] = [
  makeSlo({ name: "week", window: { kind: "rolling", ms: 7 * DAY }, thresholdMs: 20 * MINUTE }),
  makeSlo({
    name: "month",
    window: { kind: "calendar", unit: "month" },
    budgeting: "excess-time",
    thresholdMs: 45 * MINUTE,
  }),
  makeSlo({
    name: "prod-day",
    window: { kind: "rolling", ms: DAY },
    thresholdMs: 10 * MINUTE,
    selector: { environment: "production", model: null, labels: {} },
  }),
];

class MovingClock {
  constructor(public at: number) {}
  now(): number {
    return this.at;
  }
}

function fullRecompute(attempts: readonly Attempt[], at: number) {
  const tables = AttemptTables.forSlos(SLOS);
  for (const attempt of attempts) tables.add(attempt);
  return { status: evaluateSlos(SLOS, tables, at), tables };
}

let store: Store;
beforeEach(async () => {
  store = await openStore(":memory:");
});
afterEach(async () => {
  await store.close();
});

describe("the bounded engine", () => {
  it("answers as a full recompute at random instants, past ones included, as the view moves", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          arbitraryAttempt({
            startSpanMs: SPAN,
            duration: fc.integer({ min: MINUTE, max: 3 * HOUR }),
            idCount: 400,
          }),
          { minLength: 1, maxLength: 120 },
        ),
        fc.array(fc.integer({ min: 0, max: SPAN + 10 * DAY }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 20 * DAY, max: SPAN + 10 * DAY }),
        fc.array(
          arbitraryAttempt({
            startSpanMs: SPAN,
            duration: fc.integer({ min: MINUTE, max: 3 * HOUR }),
            idCount: 400,
          }),
          { maxLength: 30 },
        ),
        async (attempts, offsets, nowOffset, backfill) => {
          await store.close();
          store = await openStore(":memory:");
          const clock = new MovingClock(T0 + nowOffset);
          const engine = new SloEngine(store, SLOS, clock, { slackMs: DAY });
          const half = Math.floor(attempts.length / 2);
          await store.upsertAttempts(attempts.slice(0, half));
          await engine.refresh();
          await store.upsertAttempts(attempts.slice(half));
          // The clock moves past two slacks: the view is reloaded with a later start.
          clock.at += 3 * DAY;
          await engine.refresh();
          await engine.settled();
          // Old attempts written after the view was read (a backfill) come as changes.
          const late = backfill.map((attempt) => ({ ...attempt, id: `late-${attempt.id}` }));
          await store.upsertAttempts(late);
          const stored = [...attempts, ...late];
          for (const offset of offsets) {
            const at = T0 + offset;
            expect(await engine.status(at)).toEqual(fullRecompute(stored, at).status);
          }
          const now = clock.at;
          expect(await engine.status(now)).toEqual(fullRecompute(stored, now).status);
          const slo = SLOS[0] as Slo;
          const ats = offsets.map((offset) => T0 + offset).sort((a, b) => a - b);
          const { tables } = fullRecompute(stored, now);
          expect(await engine.history(slo, ats)).toEqual(
            ats.map((at) => evaluateSlo(slo, tables, at)),
          );
          // The all-time counters: the view plus the attempts it left out, each once.
          const figures = await engine.overAllHistory(
            (slos, t) => historyFigures(slos, t, now),
            addHistoryFigures,
          );
          expect(figures).toEqual(historyFigures(SLOS, tables, now));
        },
      ),
      { numRuns: 40 },
    );
  }, 120_000);

  it("holds only what its windows can see, and drops older rows as time goes by", async () => {
    const slo = makeSlo({ window: { kind: "rolling", ms: 7 * DAY } });
    const clock = new MovingClock(T0 + 100 * DAY);
    const attempts: Attempt[] = [];
    for (let day = 0; day < 100; day++) {
      const startedAt = T0 + day * DAY;
      attempts.push({
        id: `d${day}`,
        model: "m",
        version: "1",
        environment: "production",
        labels: {},
        startedAt,
        servingAt: startedAt + MINUTE,
        endedAt: startedAt + MINUTE,
        outcome: "succeeded",
        stages: [],
        dependencies: [],
        attributes: {},
      });
    }
    await store.upsertAttempts(attempts);
    const engine = new SloEngine(store, [slo], clock, { slackMs: DAY });
    await engine.refresh();
    // 7 days of window, 3 of alert lookbacks at most, up to 2 of slack: about 10 of 100.
    expect(engine.attemptCount).toBeLessThanOrEqual(12);
    expect(engine.attemptCount).toBeGreaterThanOrEqual(7);
    const before = engine.viewStart;
    clock.at += 5 * DAY;
    await engine.refresh();
    await engine.settled();
    expect(engine.viewStart).toBeGreaterThan(before);
    expect(engine.attemptCount).toBeLessThanOrEqual(8);
    // A year-old instant is still answered, from the store.
    const past = T0 + 50 * DAY;
    expect((await engine.status(past)).slos[0]?.eligible).toBe(7);
  });

  it("reads stages when a selector matches attributes a stage may carry", async () => {
    const slo = makeSlo({
      name: "cold",
      window: { kind: "rolling", ms: 7 * DAY },
      selector: { environment: null, model: null, labels: {}, attributes: { start: "cold" } },
    });
    const clock = new MovingClock(T0 + 3 * DAY);
    const attempts: Attempt[] = [0, 1, 2, 3].map((k) => ({
      id: `c${k}`,
      model: "m",
      version: "1",
      environment: "production",
      labels: {},
      startedAt: T0 + k * HOUR,
      servingAt: T0 + k * HOUR + (k + 1) * 4 * MINUTE,
      endedAt: T0 + k * HOUR + (k + 1) * 4 * MINUTE,
      outcome: "succeeded",
      stages: [
        {
          name: "provision",
          startedAt: T0 + k * HOUR,
          endedAt: T0 + k * HOUR + MINUTE,
          status: "succeeded",
          kind: "active",
          attributes: { start: k % 2 === 0 ? "cold" : "warm" },
        },
      ],
      dependencies: [],
      attributes: {},
    }));
    await store.upsertAttempts(attempts);
    const engine = new SloEngine(store, [slo], clock, { slackMs: DAY });
    const tables = AttemptTables.forSlos([slo]);
    for (const attempt of attempts) tables.add(attempt);
    const status = await engine.status(clock.at);
    expect(status).toEqual(evaluateSlos([slo], tables, clock.at));
    expect(status.slos[0]?.eligible).toBe(2);
  });
});
