import fc from "fast-check";
import type { Attempt } from "../../src/core/attempt/attempt.js";
import type { Slo, SloWindow } from "../../src/core/spec/slo.js";
import { MINUTE, makeAttempt, makeSlo, T0 } from "./make-attempt.js";

const OUTCOMES = [
  "succeeded",
  "failed",
  "rolled_back",
  "timed_out",
  "cancelled",
  "in_progress",
] as const;

/**
 * Attempts starting within `startSpanMs` of T0, lasting a drawn duration, with any outcome, in
 * production or staging. With `idCount`, ids repeat (later ones replace earlier ones).
 */
export function arbitraryAttempt(options: {
  startSpanMs: number;
  duration: fc.Arbitrary<number>;
  idCount?: number;
}): fc.Arbitrary<Attempt> {
  return fc
    .record({
      id: fc.integer({ min: 0, max: options.idCount ?? 0 }),
      start: fc.integer({ min: 0, max: options.startSpanMs }),
      duration: options.duration,
      outcome: fc.constantFrom(...OUTCOMES),
      environment: fc.constantFrom("production", "staging"),
    })
    .map(({ id, start, duration, outcome, environment }) => {
      const startedAt = T0 + start;
      const end = startedAt + duration;
      return makeAttempt({
        ...(options.idCount === undefined ? {} : { id: `a${id}` }),
        startedAt,
        environment,
        outcome,
        servingAt: outcome === "succeeded" ? end : null,
        endedAt: outcome === "succeeded" || outcome === "in_progress" ? null : end,
      });
    });
}

/** SLOs with a threshold of 1..maxMinutes, either budgeting, one of `windows`, any environment. */
export function arbitrarySlo(options: {
  maxMinutes: number;
  windows: readonly SloWindow[];
}): fc.Arbitrary<Slo> {
  return fc
    .record({
      minutes: fc.integer({ min: 1, max: options.maxMinutes }),
      budgeting: fc.constantFrom("occurrences", "excess-time" as const),
      window: fc.constantFrom(...options.windows),
      environment: fc.constantFrom(null, "production"),
    })
    .map(({ minutes, budgeting, window, environment }) =>
      makeSlo({
        thresholdMs: minutes * MINUTE,
        budgeting,
        window,
        selector: { environment, model: null, labels: {} },
      }),
    );
}
