import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Attempt, Attributes, Outcome, Stage, StageKind, StageStatus } from "./attempt.js";
import type { AttemptEvent } from "./attempt-event.js";
import { attemptToRecordJson } from "./attempt-to-record-json.js";
import { foldAttemptEvents } from "./fold-attempt-events.js";
import { parseAttemptRecord } from "./parse-attempt-record.js";

const T0 = Date.UTC(2026, 9, 1, 10);
const S = 1000;
const A = "att-1";

type Ended = Exclude<Outcome, "in_progress">;
type EndStatus = Exclude<StageStatus, "in_progress">;

let counter = 0;
const nextId = () => `ev-${String(++counter).padStart(4, "0")}`;

const ev = {
  started: (at: number, over: Partial<Extract<AttemptEvent, { type: "attempt.started" }>> = {}) =>
    ({
      id: nextId(),
      type: "attempt.started",
      attemptId: A,
      at,
      model: "fraud-detector",
      version: "7",
      environment: "production",
      labels: {},
      attributes: {},
      ...over,
    }) as const,
  stageStarted: (stage: string, at: number, kind: StageKind = "active", attributes = {}) =>
    ({ id: nextId(), type: "stage.started", attemptId: A, at, stage, kind, attributes }) as const,
  stageFinished: (
    stage: string,
    at: number,
    over: {
      status?: EndStatus;
      startedAt?: number;
      kind?: StageKind;
      attributes?: Attributes;
    } = {},
  ) =>
    ({
      id: nextId(),
      type: "stage.finished",
      attemptId: A,
      at,
      stage,
      status: over.status ?? "succeeded",
      startedAt: over.startedAt ?? null,
      kind: over.kind ?? null,
      attributes: over.attributes ?? {},
    }) as const,
  serving: (at: number) => ({ id: nextId(), type: "attempt.serving", attemptId: A, at }) as const,
  finished: (outcome: Ended, at: number) =>
    ({ id: nextId(), type: "attempt.finished", attemptId: A, at, outcome }) as const,
  dependency: (name: string, seconds: number, at: number | null) =>
    ({
      id: nextId(),
      type: "dependency.measured",
      attemptId: A,
      at,
      name,
      seconds,
      attributes: {},
    }) as const,
};

function fold(...events: AttemptEvent[]): Attempt | undefined {
  return foldAttemptEvents(A, events);
}

function stage(
  name: string,
  startedAt: number,
  endedAt: number | null,
  over: Partial<Stage> = {},
): Stage {
  const status: StageStatus = endedAt === null ? "in_progress" : "succeeded";
  return { name, startedAt, endedAt, status, kind: "active", attributes: {}, ...over };
}

describe("foldAttemptEvents", () => {
  it("has no attempt until attempt.started is among the events", () => {
    expect(fold()).toBeUndefined();
    expect(fold(ev.serving(T0), ev.finished("succeeded", T0 + S))).toBeUndefined();
    expect(foldAttemptEvents("other", [ev.started(T0)])).toBeUndefined();
  });

  it("folds a whole lifecycle into the attempt it describes", () => {
    const attempt = fold(
      ev.started(T0, { labels: { team: "risk" }, attributes: { trigger: "ci" } }),
      ev.stageStarted("validate", T0, "active", { coldStart: false }),
      ev.stageFinished("validate", T0 + 4 * S, { attributes: { bytes: 1024 } }),
      ev.stageStarted("approval", T0 + 5 * S, "wait"),
      ev.stageFinished("approval", T0 + 65 * S),
      ev.dependency("registry_pull", 12.4, T0 + 70 * S),
      ev.serving(T0 + 192_500),
      ev.finished("succeeded", T0 + 200 * S),
    );
    expect(attempt).toEqual({
      id: A,
      model: "fraud-detector",
      version: "7",
      environment: "production",
      labels: { team: "risk" },
      startedAt: T0,
      servingAt: T0 + 192_500,
      endedAt: T0 + 200 * S,
      outcome: "succeeded",
      stages: [
        stage("validate", T0, T0 + 4 * S, { attributes: { coldStart: false, bytes: 1024 } }),
        stage("approval", T0 + 5 * S, T0 + 65 * S, { kind: "wait" }),
      ],
      dependencies: [{ name: "registry_pull", seconds: 12.4, at: T0 + 70 * S, attributes: {} }],
      attributes: { trigger: "ci" },
    });
  });

  it("is in progress until served, and succeeded once served even before attempt.finished", () => {
    expect(fold(ev.started(T0))).toMatchObject({
      outcome: "in_progress",
      servingAt: null,
      endedAt: null,
    });
    expect(fold(ev.started(T0), ev.serving(T0 + 9 * S), ev.serving(T0 + 3 * S))).toMatchObject({
      outcome: "succeeded",
      servingAt: T0 + 3 * S,
      endedAt: null,
    });
  });

  it("starts at the earliest attempt.started and takes its fields from the latest", () => {
    const attempt = fold(
      ev.started(T0 + 5 * S, { id: "b", labels: { team: "b" } }),
      ev.started(T0, { id: "c", labels: { team: "c" } }),
      ev.started(T0 + 5 * S, { id: "a", labels: { team: "a" }, version: "8" }),
    );
    expect(attempt).toMatchObject({ startedAt: T0, labels: { team: "b" }, version: "7" });
  });

  it("takes outcome and endedAt from the latest attempt.finished", () => {
    expect(
      fold(
        ev.started(T0),
        ev.serving(T0 + 60 * S),
        ev.finished("rolled_back", T0 + 600 * S),
        ev.finished("succeeded", T0 + 90 * S),
      ),
    ).toMatchObject({ outcome: "rolled_back", servingAt: T0 + 60 * S, endedAt: T0 + 600 * S });
  });

  it("reads attempt.finished succeeded without a serving event as served when it finished", () => {
    expect(fold(ev.started(T0), ev.finished("succeeded", T0 + 60 * S))).toMatchObject({
      outcome: "succeeded",
      servingAt: T0 + 60 * S,
      endedAt: T0 + 60 * S,
    });
  });

  it("ignores serving and finished events stamped before the attempt started", () => {
    expect(fold(ev.started(T0), ev.serving(T0 - 1))).toMatchObject({
      outcome: "in_progress",
      servingAt: null,
    });
    expect(fold(ev.started(T0), ev.serving(T0 - 1), ev.serving(T0 + 9 * S))).toMatchObject({
      servingAt: T0 + 9 * S,
    });
    expect(
      fold(ev.started(T0), ev.serving(T0 - S), ev.finished("succeeded", T0 + 30 * S)),
    ).toMatchObject({ outcome: "succeeded", servingAt: T0 + 30 * S, endedAt: T0 + 30 * S });
    expect(fold(ev.started(T0), ev.finished("cancelled", T0 - S))).toMatchObject({
      outcome: "in_progress",
      endedAt: null,
    });
    expect(
      fold(ev.started(T0), ev.finished("failed", T0 - S), ev.finished("failed", T0 + S)),
    ).toMatchObject({ outcome: "failed", endedAt: T0 + S });
    expect(fold(ev.started(T0), ev.serving(T0), ev.finished("failed", T0))).toMatchObject({
      outcome: "failed",
      servingAt: T0,
      endedAt: T0,
    });
  });

  it("drops the time the outcome does not use when attempt.finished precedes serving", () => {
    expect(
      fold(ev.started(T0), ev.finished("succeeded", T0 + 60 * S), ev.serving(T0 + 61 * S)),
    ).toMatchObject({ outcome: "succeeded", servingAt: T0 + 61 * S, endedAt: null });
    expect(
      fold(ev.started(T0), ev.finished("failed", T0 + 60 * S), ev.serving(T0 + 61 * S)),
    ).toMatchObject({ outcome: "failed", servingAt: null, endedAt: T0 + 60 * S });
  });

  it("pairs each stage start with the first unpaired finish at or after it", () => {
    const attempt = fold(
      ev.started(T0),
      ev.stageStarted("health-check", T0 + 10 * S),
      ev.stageFinished("health-check", T0 + 20 * S, { status: "failed" }),
      ev.stageStarted("health-check", T0 + 30 * S),
      ev.stageFinished("health-check", T0 + 30 * S),
      ev.stageStarted("health-check", T0 + 40 * S),
    );
    expect(attempt?.stages).toEqual([
      stage("health-check", T0 + 10 * S, T0 + 20 * S, { status: "failed" }),
      stage("health-check", T0 + 30 * S, T0 + 30 * S),
      stage("health-check", T0 + 40 * S, null),
    ]);
  });

  it("places a finish without a start at its startedAt, else as a zero-length run", () => {
    const attempt = fold(
      ev.started(T0),
      ev.stageFinished("provision", T0 + 50 * S, { startedAt: T0 + 20 * S, kind: "wait" }),
      ev.stageFinished("canary", T0 + 60 * S, { status: "skipped" }),
      ev.stageFinished("deploy", T0 + 5 * S, { startedAt: T0 + 6 * S }),
      ev.stageStarted("deploy", T0 + 7 * S, "wait"),
    );
    expect(attempt?.stages).toEqual([
      stage("deploy", T0 + 5 * S, T0 + 5 * S),
      stage("deploy", T0 + 7 * S, null, { kind: "wait" }),
      stage("provision", T0 + 20 * S, T0 + 50 * S, { kind: "wait" }),
      stage("canary", T0 + 60 * S, T0 + 60 * S, { status: "skipped" }),
    ]);
  });

  it("takes the kind from the start event and lets the finish's attributes win", () => {
    const attempt = fold(
      ev.started(T0),
      ev.stageStarted("b", T0, "wait", { gpu: "a100", warm: false }),
      ev.stageFinished("b", T0 + S, { kind: "active", attributes: { warm: true } }),
      ev.stageStarted("a", T0),
    );
    expect(attempt?.stages).toEqual([
      stage("a", T0, null),
      stage("b", T0, T0 + S, { kind: "wait", attributes: { gpu: "a100", warm: true } }),
    ]);
  });

  it("orders dependency samples by time, samples without one first, then id", () => {
    const attempt = fold(
      ev.started(T0),
      { ...ev.dependency("image_pull", 3, T0 + 2 * S), id: "d1" },
      { ...ev.dependency("registry_pull", 1, null), id: "d3" },
      { ...ev.dependency("infra_api", 2, T0 + S), id: "d2" },
      { ...ev.dependency("mesh_propagation", 0.5, null), id: "d0" },
    );
    expect(attempt?.dependencies.map((d) => d.name)).toEqual([
      "mesh_propagation",
      "registry_pull",
      "infra_api",
      "image_pull",
    ]);
  });

  it("counts an event once whatever its copies, and leaves the input unsorted", () => {
    const serving = ev.serving(T0 + S);
    const events: AttemptEvent[] = [serving, ev.started(T0), serving, { ...serving }];
    const before = [...events];
    expect(foldAttemptEvents(A, events)).toEqual(fold(ev.started(T0), ev.serving(T0 + S)));
    expect(events).toEqual(before);
  });

  it("picks the same one of two different events that share an id, whatever the order", () => {
    const a = { ...ev.finished("failed", T0 + 10 * S), id: "same" };
    const b = { ...ev.finished("cancelled", T0 + 10 * S), id: "same" };
    const start = ev.started(T0);
    expect(fold(start, a, b)).toEqual(fold(start, b, a));
    expect(fold(start, a, b)?.outcome).toBe("cancelled");
  });
});

// Property tests ------------------------------------------------------------------------------

const ATTEMPTS = ["att-1", "att-2"];
const time = fc.integer({ min: -5, max: 20 }).chain((slot) =>
  fc.oneof(
    fc.constant(T0 + slot * S),
    fc.integer({ min: 0, max: 999 }).map((ms) => T0 + slot * S + ms),
  ),
);
const attributes: fc.Arbitrary<Attributes> = fc.dictionary(
  fc.constantFrom("gpu", "warm", "bytes", "digest"),
  fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), fc.boolean()),
  { maxKeys: 2 },
);
const stageName = fc.constantFrom("validate", "provision", "canary");
const kind = fc.constantFrom<StageKind>("active", "wait");

/** Any event the parser could produce, for a few attempts, crowded into a few seconds. */
const anyEvent = (ids: fc.Arbitrary<string>): fc.Arbitrary<AttemptEvent> =>
  fc.oneof(
    fc.record({
      id: ids,
      type: fc.constant("attempt.started" as const),
      attemptId: fc.constantFrom(...ATTEMPTS),
      at: time,
      model: fc.constantFrom("m1", "m2"),
      version: fc.constantFrom("1", "2"),
      environment: fc.constantFrom("production", "staging"),
      labels: fc.dictionary(fc.constantFrom("team", "region"), fc.constantFrom("a", "b"), {
        maxKeys: 2,
      }),
      attributes,
    }),
    fc.record({
      id: ids,
      type: fc.constant("stage.started" as const),
      attemptId: fc.constantFrom(...ATTEMPTS),
      at: time,
      stage: stageName,
      kind,
      attributes,
    }),
    fc.record({
      id: ids,
      type: fc.constant("stage.finished" as const),
      attemptId: fc.constantFrom(...ATTEMPTS),
      at: time,
      stage: stageName,
      status: fc.constantFrom<EndStatus>(
        "succeeded",
        "failed",
        "timed_out",
        "cancelled",
        "skipped",
      ),
      startedAt: fc.option(time),
      kind: fc.option(kind),
      attributes,
    }),
    fc.record({
      id: ids,
      type: fc.constant("attempt.serving" as const),
      attemptId: fc.constantFrom(...ATTEMPTS),
      at: time,
    }),
    fc.record({
      id: ids,
      type: fc.constant("attempt.finished" as const),
      attemptId: fc.constantFrom(...ATTEMPTS),
      at: time,
      outcome: fc.constantFrom<Ended>(
        "succeeded",
        "failed",
        "rolled_back",
        "timed_out",
        "cancelled",
      ),
    }),
    fc.record({
      id: ids,
      type: fc.constant("dependency.measured" as const),
      attemptId: fc.constantFrom(...ATTEMPTS),
      at: fc.option(time),
      name: fc.constantFrom("registry_pull", "image_pull"),
      seconds: fc.integer({ min: 0, max: 100_000 }).map((ms) => ms / 1000),
      attributes,
    }),
  );

/** Unique ids, as the store guarantees. */
const eventSet = fc
  .array(anyEvent(fc.constant("")), { maxLength: 30 })
  .map((events) => events.map((e, i) => ({ ...e, id: `e${i}` })));
/** Ids from a small pool: repeated ids, sometimes on different events. */
const clashingEvents = fc.array(anyEvent(fc.constantFrom("x", "y", "z", "w")), { maxLength: 30 });

function permuted<T>(items: fc.Arbitrary<T[]>): fc.Arbitrary<[T[], T[]]> {
  return items.chain((list) =>
    fc.tuple(
      fc.constant(list),
      fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length }),
    ),
  );
}

describe("foldAttemptEvents: properties", () => {
  it("folds any arrival order of the same events to the same attempt", () => {
    fc.assert(
      fc.property(permuted(fc.oneof(eventSet, clashingEvents)), ([events, shuffled]) => {
        for (const id of ATTEMPTS) {
          expect(foldAttemptEvents(id, shuffled)).toEqual(foldAttemptEvents(id, events));
        }
      }),
      { numRuns: 500 },
    );
  });

  it("is unchanged by events delivered twice", () => {
    fc.assert(
      fc.property(eventSet, fc.array(fc.nat()), (events, picks) => {
        const again = picks.flatMap((i) =>
          events.length === 0 ? [] : [events[i % events.length]],
        );
        const doubled = [...events, ...again].filter((e) => e !== undefined);
        for (const id of ATTEMPTS) {
          expect(foldAttemptEvents(id, doubled)).toEqual(foldAttemptEvents(id, events));
        }
      }),
    );
  });

  it("always gives an attempt that parseAttemptRecord reads back unchanged", () => {
    fc.assert(
      fc.property(fc.oneof(eventSet, clashingEvents), (events) => {
        for (const id of ATTEMPTS) {
          const attempt = foldAttemptEvents(id, events);
          if (attempt === undefined) {
            // With repeated ids an attempt.started may lose to another event sharing its id.
            const unique = new Set(events.map((e) => e.id)).size === events.length;
            const started = events.some((e) => e.attemptId === id && e.type === "attempt.started");
            expect(unique && started).toBe(false);
            continue;
          }
          const parsed = parseAttemptRecord(attemptToRecordJson(attempt));
          expect(parsed.ok ? [] : parsed.problems).toEqual([]);
          expect(parsed.ok && parsed.attempt).toEqual(attempt);
        }
      }),
      { numRuns: 500 },
    );
  });
});

// A realistic lifecycle and the attempt it must fold to --------------------------------------

interface Lifecycle {
  readonly events: readonly AttemptEvent[];
  readonly expected: Attempt;
}

const STAGE_NAMES = ["validate", "stage-artifacts", "provision", "health-check", "approval"];
type Ending = "served" | "served-unannounced" | "finished-only" | "rolled_back" | Ended;

const lifecycle: fc.Arbitrary<Lifecycle> = fc
  .record({
    start: fc.integer({ min: 0, max: 1_000_000_000 }),
    correction: fc.boolean(),
    stages: fc.array(
      fc.record({
        name: fc.constantFrom(...STAGE_NAMES),
        gap: fc.integer({ min: 1, max: 5_000 }),
        duration: fc.integer({ min: 0, max: 120_000 }),
        kind,
        oneEvent: fc.boolean(),
        startAttributes: attributes,
        finishAttributes: attributes,
        status: fc.constantFrom<EndStatus>("succeeded", "succeeded", "failed", "skipped"),
      }),
      { maxLength: 6 },
    ),
    lastRunning: fc.boolean(),
    ending: fc.constantFrom<Ending>(
      "served",
      "served-unannounced",
      "finished-only",
      "rolled_back",
      "failed",
      "timed_out",
      "cancelled",
    ),
    inProgress: fc.boolean(),
    servingDelay: fc.integer({ min: 0, max: 60_000 }),
    finishDelay: fc.integer({ min: 0, max: 60_000 }),
    retries: fc.integer({ min: 0, max: 2 }),
    dependencies: fc.array(
      fc.record({
        name: fc.constantFrom("registry_pull", "image_pull", "infra_api"),
        seconds: fc.integer({ min: 0, max: 60_000 }).map((ms) => ms / 1000),
        offset: fc.option(fc.integer({ min: 0, max: 300_000 })),
      }),
      { maxLength: 3 },
    ),
  })
  .map((g): Lifecycle => {
    let n = 0;
    const id = () => `l${String(n++).padStart(3, "0")}`;
    const startedAt = T0 + g.start;
    const labels = { team: "risk" };
    const events: AttemptEvent[] = [
      { ...ev.started(startedAt, { labels: { team: "first" } }), id: id() },
    ];
    if (g.correction) {
      events.push({ ...ev.started(startedAt + 1, { labels }), id: id() });
    } else {
      events[0] = { ...ev.started(startedAt, { labels }), id: "l000" };
    }

    const stages: Stage[] = [];
    let clock = startedAt;
    g.stages.forEach((s, i) => {
      const from = clock + s.gap;
      const to = from + s.duration;
      clock = to;
      const running = g.lastRunning && i === g.stages.length - 1;
      if (running) {
        events.push({ ...ev.stageStarted(s.name, from, s.kind, s.startAttributes), id: id() });
        stages.push(stage(s.name, from, null, { kind: s.kind, attributes: s.startAttributes }));
      } else if (s.oneEvent) {
        const finish = { status: s.status, startedAt: from, attributes: s.finishAttributes };
        events.push({ ...ev.stageFinished(s.name, to, { ...finish, kind: s.kind }), id: id() });
        stages.push(
          stage(s.name, from, to, {
            status: s.status,
            kind: s.kind,
            attributes: s.finishAttributes,
          }),
        );
      } else {
        events.push({ ...ev.stageStarted(s.name, from, s.kind, s.startAttributes), id: id() });
        events.push({
          ...ev.stageFinished(s.name, to, { status: s.status, attributes: s.finishAttributes }),
          id: id(),
        });
        stages.push(
          stage(s.name, from, to, {
            status: s.status,
            kind: s.kind,
            attributes: { ...s.startAttributes, ...s.finishAttributes },
          }),
        );
      }
    });

    const dependencies = g.dependencies.map((d) => {
      const at = d.offset === null ? null : startedAt + d.offset;
      return { event: { ...ev.dependency(d.name, d.seconds, at), id: id() }, at };
    });
    for (const d of dependencies) events.push(d.event);
    dependencies.sort(
      (a, b) =>
        (a.at ?? Number.NEGATIVE_INFINITY) - (b.at ?? Number.NEGATIVE_INFINITY) ||
        (a.event.id < b.event.id ? -1 : 1),
    );

    const servedAt = clock + g.servingDelay;
    const endAt = servedAt + g.finishDelay;
    let servingAt: number | null = null;
    let endedAt: number | null = null;
    let outcome: Outcome = "in_progress";
    const serve = () => {
      servingAt = servedAt;
      outcome = "succeeded";
      events.push({ ...ev.serving(servedAt), id: id() });
      for (let r = 1; r <= g.retries; r++) {
        events.push({ ...ev.serving(servedAt + r * S), id: id() });
      }
    };
    const finish = (how: Ended, at: number) => {
      endedAt = at;
      outcome = how;
      events.push({ ...ev.finished(how, at), id: id() });
    };
    if (!g.inProgress || g.ending === "served-unannounced") {
      if (g.ending === "served") {
        serve();
        finish("succeeded", endAt);
      } else if (g.ending === "served-unannounced") {
        serve();
      } else if (g.ending === "finished-only") {
        finish("succeeded", endAt);
        servingAt = endAt;
      } else if (g.ending === "rolled_back") {
        serve();
        finish("rolled_back", endAt);
      } else {
        finish(g.ending, endAt);
      }
    }

    const expected: Attempt = {
      id: A,
      model: "fraud-detector",
      version: "7",
      environment: "production",
      labels,
      startedAt,
      servingAt,
      endedAt,
      outcome,
      stages: stages.sort((a, b) => a.startedAt - b.startedAt),
      dependencies: dependencies.map(({ event: e }) => ({
        name: e.name,
        seconds: e.seconds,
        at: e.at,
        attributes: {},
      })),
      attributes: {},
    };
    return { events, expected };
  });

describe("foldAttemptEvents: realistic lifecycles", () => {
  it("folds a generated lifecycle, in any arrival order, to the attempt it describes", () => {
    fc.assert(
      fc.property(
        lifecycle.chain((l) =>
          fc.tuple(
            fc.constant(l),
            fc.shuffledSubarray([...l.events], {
              minLength: l.events.length,
              maxLength: l.events.length,
            }),
          ),
        ),
        ([{ expected }, arrival]) => {
          expect(foldAttemptEvents(A, arrival)).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("has no attempt until attempt.started arrives, then the right one", () => {
    fc.assert(
      fc.property(
        lifecycle.chain((l) =>
          fc.tuple(
            fc.constant(l),
            fc.shuffledSubarray([...l.events], {
              minLength: l.events.length,
              maxLength: l.events.length,
            }),
          ),
        ),
        ([{ expected }, arrival]) => {
          for (let k = 0; k <= arrival.length; k++) {
            const prefix = arrival.slice(0, k);
            const folded = foldAttemptEvents(A, prefix);
            expect(folded === undefined).toBe(!prefix.some((e) => e.type === "attempt.started"));
          }
          expect(foldAttemptEvents(A, arrival)).toEqual(expected);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("places a stage that finished before attempt.started arrived", () => {
    const finish = ev.stageFinished("validate", T0 + 4 * S, { startedAt: T0 });
    expect(fold(finish)).toBeUndefined();
    expect(fold(finish, ev.started(T0))?.stages).toEqual([stage("validate", T0, T0 + 4 * S)]);
  });
});

/** A record as parseAttemptRecord gives it, for attempt A. */
function record(over: Partial<Attempt> = {}): Attempt {
  return {
    id: A,
    model: "fraud-detector",
    version: "7",
    environment: "production",
    labels: {},
    startedAt: T0,
    servingAt: null,
    endedAt: null,
    outcome: "in_progress",
    stages: [],
    dependencies: [],
    attributes: {},
    ...over,
  };
}

describe("foldAttemptEvents with a stored record", () => {
  it("keeps a record's terminal outcome when a later attempt.started arrives", () => {
    const failed = record({ outcome: "failed", endedAt: T0 + 60 * S });
    const attempt = foldAttemptEvents(A, [ev.started(T0 + 5 * S, { version: "8" })], failed);
    expect(attempt).toMatchObject({
      startedAt: T0,
      outcome: "failed",
      endedAt: T0 + 60 * S,
      version: "8",
    });
  });

  it("is the record itself without events", () => {
    const served = record({
      servingAt: T0 + 90 * S,
      outcome: "succeeded",
      stages: [stage("provision", T0, T0 + 30 * S)],
      dependencies: [{ name: "image_pull", seconds: 7, at: null, attributes: {} }],
      attributes: { trigger: "ci" },
    });
    expect(foldAttemptEvents(A, [], served)).toEqual(served);
    const rolledBack = record({ endedAt: T0 + 5 * S, outcome: "rolled_back" });
    expect(foldAttemptEvents(A, [], rolledBack)).toEqual(rolledBack);
  });

  it("lets a later finish or start event win, and an earlier one lose, at the same instant the event", () => {
    const failed = record({ outcome: "failed", endedAt: T0 + 60 * S });
    expect(foldAttemptEvents(A, [ev.finished("cancelled", T0 + 30 * S)], failed)).toMatchObject({
      outcome: "failed",
      endedAt: T0 + 60 * S,
    });
    expect(foldAttemptEvents(A, [ev.finished("rolled_back", T0 + 90 * S)], failed)).toMatchObject({
      outcome: "rolled_back",
      endedAt: T0 + 90 * S,
    });
    expect(foldAttemptEvents(A, [ev.finished("cancelled", T0 + 60 * S)], failed)).toMatchObject({
      outcome: "cancelled",
    });
    expect(foldAttemptEvents(A, [ev.started(T0, { version: "9" })], record())).toMatchObject({
      version: "9",
    });
    expect(foldAttemptEvents(A, [ev.started(T0 - S, { version: "9" })], record())).toMatchObject({
      startedAt: T0 - S,
      version: "7",
    });
  });

  it("adds the record's stages and samples that the events do not report", () => {
    const withTrace = record({
      stages: [stage("provision", T0, T0 + 30 * S), stage("canary", T0 + 40 * S, T0 + 50 * S)],
      dependencies: [
        { name: "image_pull", seconds: 7, at: null, attributes: {} },
        { name: "registry_pull", seconds: 2, at: T0 + S, attributes: {} },
      ],
    });
    const attempt = foldAttemptEvents(
      A,
      [
        ev.stageStarted("provision", T0),
        ev.stageFinished("provision", T0 + 30 * S),
        ev.dependency("image_pull", 7, null),
        ev.dependency("image_pull", 3, T0 + 2 * S),
      ],
      withTrace,
    );
    expect(attempt?.stages).toEqual([
      stage("provision", T0, T0 + 30 * S),
      stage("canary", T0 + 40 * S, T0 + 50 * S),
    ]);
    expect(attempt?.dependencies.map((d) => [d.name, d.seconds])).toEqual([
      ["image_pull", 7],
      ["registry_pull", 2],
      ["image_pull", 3],
    ]);
  });

  it("folds any arrival order of the same events with the same record to the same attempt", () => {
    // Records drawn as folds of other events: valid attempts with stages, samples, outcomes.
    const stored = eventSet.map((events) => foldAttemptEvents(ATTEMPTS[0] ?? "", events));
    fc.assert(
      fc.property(permuted(eventSet), stored, ([events, shuffled], previous) => {
        const id = ATTEMPTS[0] ?? "";
        const merged = foldAttemptEvents(id, events, previous);
        expect(foldAttemptEvents(id, shuffled, previous)).toEqual(merged);
        if (previous !== undefined) {
          expect(merged, "a record alone is an attempt").toBeDefined();
          // The merge never moves the start later than the record's, nor loses it.
          expect(merged?.startedAt ?? Number.POSITIVE_INFINITY).toBeLessThanOrEqual(
            previous.startedAt,
          );
        }
        if (merged !== undefined) {
          const parsed = parseAttemptRecord(attemptToRecordJson(merged));
          expect(parsed.ok ? [] : parsed.problems).toEqual([]);
        }
      }),
      { numRuns: 500 },
    );
  });
});
