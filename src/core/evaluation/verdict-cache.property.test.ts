import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { arbitraryAttempt } from "../../../test/support/arbitraries.js";
import { DAY, HOUR, MINUTE, makeSlo, makeStage, T0 } from "../../../test/support/make-attempt.js";
import type { Attempt } from "../attempt/attempt.js";
import type { Slo } from "../spec/slo.js";
import { AttemptTables } from "./attempt-tables.js";
import { VerdictCache } from "./verdict-cache.js";
import { VerdictSeries } from "./verdict-series.js";

const SLOS: Slo[] = [
  makeSlo({ name: "all", window: { kind: "rolling", ms: 2 * DAY }, thresholdMs: 30 * MINUTE }),
  makeSlo({
    name: "prod",
    window: { kind: "rolling", ms: DAY },
    thresholdMs: 10 * MINUTE,
    selector: { environment: "production", model: null, labels: {} },
  }),
  makeSlo({
    name: "stage",
    window: { kind: "rolling", ms: DAY },
    thresholdMs: 5 * MINUTE,
    indicator: { kind: "stage", stage: "provision" },
  }),
];

/** The verdicts after `after`, as sorted triples: what an alert round may count. */
function verdictsAfter(series: VerdictSeries, from: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < series.length; i++) {
    const at = series.times[i] ?? 0;
    if (at <= from) continue;
    const bad = series.bad(i, i + 1);
    out.push([at, bad, Number.isNaN(series.durations[i]) ? -1 : (series.durations[i] ?? 0)]);
  }
  return out.sort(
    (a, b) => (a[0] ?? 0) - (b[0] ?? 0) || (a[1] ?? 0) - (b[1] ?? 0) || (a[2] ?? 0) - (b[2] ?? 0),
  );
}

/** An attempt with a provision stage spanning its first half, so stage SLOs see it too. */
function withStage(attempt: Attempt): Attempt {
  const end = attempt.servingAt ?? attempt.endedAt;
  const stageEnd =
    end === null ? null : attempt.startedAt + Math.floor((end - attempt.startedAt) / 2);
  return {
    ...attempt,
    stages: [
      makeStage({
        name: "provision",
        startedAt: attempt.startedAt,
        endedAt: stageEnd,
        status:
          stageEnd === null
            ? "in_progress"
            : attempt.outcome === "succeeded"
              ? "succeeded"
              : "failed",
      }),
    ],
  };
}

function makeRunning(environment: string): Attempt {
  return {
    id: "r",
    model: "m",
    version: "1",
    environment,
    labels: {},
    startedAt: T0,
    servingAt: null,
    endedAt: null,
    outcome: "in_progress",
    stages: [],
    dependencies: [],
    attributes: {},
  };
}

describe("VerdictCache", () => {
  it("lets go of a running attempt rewritten into a series the SLO does not take", () => {
    const prod = SLOS[1] as Slo;
    const tables = AttemptTables.forSlos(SLOS);
    const cache = new VerdictCache(tables);
    const running = { ...withStage(makeRunning("production")), id: "a9" };
    tables.add(running);
    expect(cache.series(prod, T0 + HOUR, T0).length).toBe(1);
    tables.add({ ...running, environment: "staging" });
    expect(cache.series(prod, T0 + 2 * HOUR, T0).length).toBe(0);
  });

  it("gives each round the verdicts a full scan gives, as writes and rounds interleave", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.array(
            arbitraryAttempt({
              startSpanMs: 6 * DAY,
              duration: fc.integer({ min: MINUTE, max: 2 * HOUR }),
              idCount: 60,
            }),
            { maxLength: 25 },
          ),
          { minLength: 1, maxLength: 8 },
        ),
        (batches) => {
          const tables = AttemptTables.forSlos(SLOS);
          const cache = new VerdictCache(tables);
          batches.forEach((batch, round) => {
            for (const attempt of batch) tables.add(withStage(attempt));
            const at = T0 + (round + 1) * DAY;
            for (const slo of SLOS) {
              const horizon = at - (slo.window.kind === "rolling" ? slo.window.ms : DAY);
              const cached = cache.series(slo, at, horizon);
              // What the round did before: judge every row of the window again.
              const scanned = VerdictSeries.ofTables(slo, tables, at, horizon);
              expect(verdictsAfter(cached, horizon)).toEqual(verdictsAfter(scanned, horizon));
            }
          });
        },
      ),
      { numRuns: 400 },
    );
  });
});
