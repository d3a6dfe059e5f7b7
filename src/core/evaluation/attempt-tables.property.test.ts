import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DAY, HOUR, MINUTE, makeAttempt, makeSlo, T0 } from "../../../test/support/make-attempt.js";
import type { Attempt, Outcome, StageStatus } from "../attempt/attempt.js";
import type { Slo } from "../spec/slo.js";
import { AttemptTables } from "./attempt-tables.js";
import { earliestInProgressStart } from "./earliest-in-progress.js";
import { evaluateSlo } from "./evaluate-slo.js";
import { scopeValues } from "./scope-filter.js";
import { sloDurations } from "./slo-durations.js";
import { VerdictSeries } from "./verdict-series.js";

/** One SLO per indicator kind and budgeting, on a few selectors: every table and aggregate. */
const SLOS: readonly Slo[] = [
  makeSlo({ name: "deploy", thresholdMs: 20 * MINUTE }),
  makeSlo({
    name: "deploy-excess",
    thresholdMs: 10 * MINUTE,
    budgeting: "excess-time",
    window: { kind: "rolling", ms: 7 * DAY },
    selector: { environment: "production", model: null, labels: {} },
  }),
  makeSlo({
    name: "provision",
    thresholdMs: 5 * MINUTE,
    indicator: { kind: "stage", stage: "provision" },
    selector: { environment: null, model: "m1", labels: {} },
  }),
  makeSlo({
    name: "provision-to-canary",
    thresholdMs: 15 * MINUTE,
    indicator: {
      kind: "span",
      from: { stage: "provision", at: "end" },
      to: { stage: "canary", at: "end" },
    },
  }),
  makeSlo({
    name: "cold-provision",
    thresholdMs: 5 * MINUTE,
    indicator: { kind: "stage", stage: "provision" },
    selector: { environment: null, model: null, labels: {}, attributes: { coldStart: "true" } },
  }),
  makeSlo({
    name: "cold-deploys",
    thresholdMs: 20 * MINUTE,
    budgeting: "excess-time",
    selector: { environment: null, model: null, labels: {}, attributes: { coldStart: "true" } },
  }),
  makeSlo({
    name: "registry",
    thresholdMs: 30_000,
    indicator: { kind: "dependency", dependency: "registry_pull" },
  }),
  makeSlo({
    name: "registry-excess",
    thresholdMs: 20_000,
    budgeting: "excess-time",
    indicator: { kind: "dependency", dependency: "registry_pull" },
    selector: { environment: "staging", model: null, labels: {} },
  }),
];

const OUTCOMES: readonly Outcome[] = ["succeeded", "failed", "cancelled", "in_progress"];
const STAGE_STATUSES: readonly StageStatus[] = ["succeeded", "failed", "skipped", "in_progress"];

/** A record for one of a few ids: replacing an id may move it to another model/environment. */
const record = fc
  .record({
    id: fc.integer({ min: 0, max: 12 }),
    model: fc.constantFrom("m1", "m2"),
    environment: fc.constantFrom("production", "staging"),
    start: fc.integer({ min: 0, max: 10 * DAY }),
    duration: fc.integer({ min: 0, max: 2 * HOUR }),
    outcome: fc.constantFrom(...OUTCOMES),
    cold: fc.constantFrom(undefined, true, false),
    stages: fc.array(
      fc.record({
        name: fc.constantFrom("provision", "canary"),
        offset: fc.integer({ min: 0, max: 30 * MINUTE }),
        duration: fc.integer({ min: 0, max: 20 * MINUTE }),
        status: fc.constantFrom(...STAGE_STATUSES),
        cold: fc.constantFrom(undefined, true, false),
      }),
      { maxLength: 3 },
    ),
    samples: fc.array(
      fc.record({
        name: fc.constantFrom("registry_pull", "image_pull"),
        seconds: fc.integer({ min: 0, max: 120 }),
        offset: fc.option(fc.integer({ min: 0, max: HOUR }), { nil: null }),
      }),
      { maxLength: 3 },
    ),
  })
  .map((r): Attempt => {
    const startedAt = T0 + r.start;
    const end = startedAt + r.duration;
    return makeAttempt({
      id: `a${r.id}`,
      model: r.model,
      environment: r.environment,
      startedAt,
      outcome: r.outcome,
      attributes: r.cold === undefined ? {} : { coldStart: r.cold },
      servingAt: r.outcome === "succeeded" ? end : null,
      endedAt: r.outcome === "succeeded" || r.outcome === "in_progress" ? null : end,
      stages: r.stages.map((s) => ({
        name: s.name,
        startedAt: startedAt + s.offset,
        endedAt: s.status === "in_progress" ? null : startedAt + s.offset + s.duration,
        status: s.status,
        kind: "active",
        attributes: s.cold === undefined ? {} : { coldStart: s.cold },
      })),
      dependencies: r.samples.map((s) => ({
        name: s.name,
        seconds: s.seconds,
        at: s.offset === null ? null : startedAt + s.offset,
        attributes: {},
      })),
    });
  });

/** Inserts or replacements (a drawn record), and resends of a record sent before. */
const operation = fc.oneof(
  record.map((attempt) => ({ kind: "send" as const, attempt })),
  fc.nat().map((pick) => ({ kind: "resend" as const, pick })),
  fc.integer({ min: 0, max: 12 * DAY }).map((offset) => ({ kind: "read" as const, offset })),
);

/** Every aggregate the service and the CLI read off the tables, as of `at`. */
function aggregates(tables: AttemptTables, at: number) {
  return {
    size: tables.size,
    earliestInProgress: earliestInProgressStart(tables),
    scope: scopeValues(tables.liveSeries()),
    slos: SLOS.map((slo) => {
      const { durationsMs, withoutDuration } = sloDurations(slo, tables, at);
      const series = VerdictSeries.ofTables(slo, tables, at);
      return {
        status: evaluateSlo(slo, tables, at),
        durationsMs: [...durationsMs].sort((a, b) => a - b),
        withoutDuration,
        verdicts: {
          times: [...series.times],
          bad: series.badBefore[series.length],
          durations: [...series.durations].sort((a, b) => a - b),
        },
      };
    }),
  };
}

describe("AttemptTables under inserts, replacements and resends", () => {
  it("every aggregate equals a fresh recompute from the latest record of each id", () => {
    fc.assert(
      fc.property(
        fc.array(operation, { minLength: 1, maxLength: 60 }),
        fc.constantFrom(undefined, HOUR, DAY),
        fc.array(fc.integer({ min: 0, max: 12 * DAY }), { minLength: 1, maxLength: 3 }),
        (operations, bucketMs, offsets) => {
          const options = bucketMs === undefined ? {} : { bucketMs };
          const tables = AttemptTables.forSlos(SLOS, options);
          const sent: Attempt[] = [];
          const latest = new Map<string, Attempt>();
          for (const op of operations) {
            if (op.kind === "read") {
              // Reading between writes builds the cached indexes and buckets the writes must keep true.
              aggregates(tables, T0 + op.offset);
              continue;
            }
            const attempt = op.kind === "send" ? op.attempt : sent[op.pick % (sent.length || 1)];
            if (attempt === undefined) continue;
            tables.add(attempt);
            sent.push(attempt);
            latest.set(attempt.id, attempt);
          }
          const fresh = AttemptTables.forSlos(SLOS, options);
          for (const attempt of latest.values()) fresh.add(attempt);
          for (const offset of offsets) {
            expect(aggregates(tables, T0 + offset)).toEqual(aggregates(fresh, T0 + offset));
            // The verdicts read off the records themselves (alert replays) are the tables' too.
            for (const slo of SLOS) {
              const ofRecords = VerdictSeries.of(slo, latest.values(), T0 + offset);
              const ofTables = VerdictSeries.ofTables(slo, tables, T0 + offset);
              expect([...ofRecords.times]).toEqual([...ofTables.times]);
              expect(ofRecords.bad(0, ofRecords.length)).toBe(ofTables.bad(0, ofTables.length));
            }
          }
        },
      ),
      { numRuns: Number(process.env.FC_RUNS ?? 300) },
    );
  });
});
