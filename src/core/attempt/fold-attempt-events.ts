import type { Attempt, Attributes, DependencySample, Outcome, Stage } from "./attempt.js";
import { ATTEMPT_EVENT_TYPES, type AttemptEvent, type AttemptEventType } from "./attempt-event.js";

type EventOf<T extends AttemptEventType> = Extract<AttemptEvent, { type: T }>;
type StageStarted = EventOf<"stage.started">;
type StageFinished = EventOf<"stage.finished">;

const RANK = new Map<AttemptEventType, number>(ATTEMPT_EVENT_TYPES.map((type, i) => [type, i]));

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareNumbers(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Key-sorted JSON, so that two events equal in content compare equal whatever their key order. */
function canonical(value: unknown): string {
  if (typeof value !== "object" || value === null) return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  const entries = Object.entries(value).sort(([a], [b]) => compareText(a, b));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
}

/**
 * The total order events are folded in: `at` (a dependency sample without one first), then
 * lifecycle rank (the order of ATTEMPT_EVENT_TYPES, so a stage that starts and finishes in the
 * same millisecond pairs), then id; content breaks the tie only between two events that share
 * an id.
 */
function compareEvents(a: AttemptEvent, b: AttemptEvent): number {
  return (
    compareNumbers(a.at ?? Number.NEGATIVE_INFINITY, b.at ?? Number.NEGATIVE_INFINITY) ||
    compareNumbers(RANK.get(a.type) ?? 0, RANK.get(b.type) ?? 0) ||
    compareText(a.id, b.id) ||
    compareText(canonical(a), canonical(b))
  );
}

function ofType<T extends AttemptEventType>(
  events: readonly AttemptEvent[],
  type: T,
): EventOf<T>[] {
  return events.filter((e): e is EventOf<T> => e.type === type);
}

function merge(a: Attributes, b: Attributes): Attributes {
  if (Object.keys(b).length === 0) return a;
  if (Object.keys(a).length === 0) return b;
  return { ...a, ...b };
}

/**
 * Pairs the starts and finishes of one stage name, both in event order: each start takes the
 * first finish at or after it not yet taken. Since starts come in time order, a finish passed
 * over for being too early can never pair later, so one forward pass does it.
 */
function stageRuns(name: string, starts: StageStarted[], finishes: StageFinished[]): Stage[] {
  const runs: Stage[] = [];
  let next = 0;
  for (const start of starts) {
    let finish = finishes[next];
    while (finish !== undefined && finish.at < start.at) {
      runs.push(unstarted(name, finish));
      finish = finishes[++next];
    }
    if (finish === undefined) {
      runs.push({
        name,
        startedAt: start.at,
        endedAt: null,
        status: "in_progress",
        kind: start.kind,
        attributes: start.attributes,
      });
    } else {
      next++;
      runs.push({
        name,
        startedAt: start.at,
        endedAt: finish.at,
        status: finish.status,
        kind: start.kind,
        attributes: merge(start.attributes, finish.attributes),
      });
    }
  }
  for (const finish of finishes.slice(next)) runs.push(unstarted(name, finish));
  return runs;
}

/** A finish with no start event: its own `startedAt`, else a zero-length run at `at`. */
function unstarted(name: string, finish: StageFinished): Stage {
  const startedAt =
    finish.startedAt !== null && finish.startedAt <= finish.at ? finish.startedAt : finish.at;
  return {
    name,
    startedAt,
    endedAt: finish.at,
    status: finish.status,
    kind: finish.kind ?? "active",
    attributes: finish.attributes,
  };
}

function stages(events: readonly AttemptEvent[]): Stage[] {
  const byName = new Map<string, { starts: StageStarted[]; finishes: StageFinished[] }>();
  for (const event of events) {
    if (event.type !== "stage.started" && event.type !== "stage.finished") continue;
    let entry = byName.get(event.stage);
    if (entry === undefined) {
      entry = { starts: [], finishes: [] };
      byName.set(event.stage, entry);
    }
    if (event.type === "stage.started") entry.starts.push(event);
    else entry.finishes.push(event);
  }
  const runs = [...byName].flatMap(([name, { starts, finishes }]) =>
    stageRuns(name, starts, finishes),
  );
  // Stable sort: runs tied on (startedAt, name) keep event order, which is itself total.
  return runs.sort((a, b) => a.startedAt - b.startedAt || compareText(a.name, b.name));
}

/**
 * Synthetic ids of a record's lifecycle facts: they sort before any event id, so at the same
 * instant an event counts as later than the record (its fields and outcome win the tie).
 */
const RECORD_ID = "\u0000record:";

/** A stored record's lifecycle as the events that would have said the same. */
function recordLifecycle(record: Attempt): AttemptEvent[] {
  const attemptId = record.id;
  const events: AttemptEvent[] = [
    {
      id: `${RECORD_ID}started`,
      type: "attempt.started",
      attemptId,
      at: record.startedAt,
      model: record.model,
      version: record.version,
      environment: record.environment,
      labels: record.labels,
      attributes: record.attributes,
    },
  ];
  if (record.servingAt !== null) {
    events.push({
      id: `${RECORD_ID}serving`,
      type: "attempt.serving",
      attemptId,
      at: record.servingAt,
    });
  }
  if (record.endedAt !== null && record.outcome !== "in_progress") {
    events.push({
      id: `${RECORD_ID}finished`,
      type: "attempt.finished",
      attemptId,
      at: record.endedAt,
      outcome: record.outcome,
    });
  }
  return events;
}

/**
 * Folds the lifecycle events of one attempt into the Attempt they describe, or `undefined`
 * until an `attempt.started` event is among them (without it the attempt has no model,
 * version, environment or start). Pure and order-independent: the events are first put in one
 * total order (`at`, lifecycle rank, id), so any arrival order of the same set folds to the
 * same Attempt. Events of other attempts are ignored; events sharing an id count once.
 *
 * Rules (the result always satisfies parseAttemptRecord's invariants; no time is shifted or
 * clamped: a time that contradicts another is dropped, and the rule below says which):
 * - `startedAt` is the earliest `attempt.started`: the promote request was received then.
 *   model, version, environment, labels and attributes come from the latest `attempt.started`
 *   (by `at`, then id), read as a correction, as a re-sent record replaces an earlier one.
 * - `attempt.serving` and `attempt.finished` events stamped before `startedAt` are ignored:
 *   they name this attempt, so only a skewed clock can put them there, and reading them as
 *   `startedAt` would turn a skewed probe clock into instant deployments. The attempt stays in
 *   progress (and turns bad past the threshold) until a consistent event arrives.
 * - `servingAt` is the earliest remaining `attempt.serving`.
 * - `outcome` and `endedAt` come from the latest remaining `attempt.finished` (by `at`, then
 *   id); without one, the outcome is `succeeded` once served, else `in_progress`, with no
 *   `endedAt`.
 * - `attempt.finished` with `succeeded` and no serving event: `servingAt` is the finish's
 *   `at`, the latest the first inference can have been served, so the duration is an upper
 *   bound and never flatters the attempt.
 * - A finish before the first serving event (two clocks disagreeing): the time the outcome
 *   does not depend on is dropped, which leaves every SLO number as it would be: `endedAt`
 *   for `succeeded` (its verdict uses `servingAt`), `servingAt` for the other outcomes (theirs
 *   use `endedAt`).
 * - Stages: per name, each `stage.started` (in time order) pairs with the first unpaired
 *   `stage.finished` at or after it, taking the start's `at`, kind and attributes overlaid by
 *   the finish's attributes, and the finish's `at` and status. A start left over is in
 *   progress; a finish left over starts at its `startedAt` field, else at its own `at`
 *   (zero-length), with its kind or `active`. Stages are ordered by (startedAt, name).
 * - Dependencies: every `dependency.measured`, ordered by (`at`, absent first; id).
 *
 * With `record` (the latest record stored for this attempt, docs/api.md "Records and events"),
 * the record is read as the events it stands for: an `attempt.started` at its `startedAt` with
 * its model, version, environment, labels and attributes, an `attempt.serving` at its
 * `servingAt`, an `attempt.finished` at its `endedAt` with its outcome; at the same instant an
 * event counts as later than the record. The rules above then apply to the union. Its stages
 * and dependency samples are added as they are, except those the events already report (a
 * stage of the same name and start; a sample of the same name, seconds and time).
 */
export function foldAttemptEvents(
  attemptId: string,
  events: readonly AttemptEvent[],
  record?: Attempt,
): Attempt | undefined {
  const real: AttemptEvent[] = [];
  const seen = new Set<string>();
  for (const event of events.filter((e) => e.attemptId === attemptId).sort(compareEvents)) {
    if (seen.has(event.id)) continue;
    seen.add(event.id);
    real.push(event);
  }
  const ordered =
    record === undefined || record.id !== attemptId
      ? real
      : [...real, ...recordLifecycle(record)].sort(compareEvents);

  const starts = ofType(ordered, "attempt.started");
  const first = starts[0];
  const latest = starts.at(-1);
  if (first === undefined || latest === undefined) return undefined;
  const startedAt = first.at;

  let servingAt = ofType(ordered, "attempt.serving").find((e) => e.at >= startedAt)?.at ?? null;
  const finish = ofType(ordered, "attempt.finished")
    .filter((e) => e.at >= startedAt)
    .at(-1);
  let outcome: Outcome = servingAt === null ? "in_progress" : "succeeded";
  let endedAt: number | null = null;
  if (finish !== undefined) {
    outcome = finish.outcome;
    endedAt = finish.at;
    if (outcome === "succeeded") {
      if (servingAt === null) servingAt = finish.at;
      else if (endedAt < servingAt) endedAt = null;
    } else if (servingAt !== null && endedAt < servingAt) {
      servingAt = null;
    }
  }

  const dependencies: DependencySample[] = ofType(ordered, "dependency.measured").map((e) => ({
    name: e.name,
    seconds: e.seconds,
    at: e.at,
    attributes: e.attributes,
  }));
  const eventStages = stages(ordered);
  const allStages =
    record === undefined || record.id !== attemptId
      ? eventStages
      : withRecordStages(eventStages, record.stages);
  const allDependencies =
    record === undefined || record.id !== attemptId
      ? dependencies
      : withRecordDependencies(dependencies, record.dependencies);

  return {
    id: attemptId,
    model: latest.model,
    version: latest.version,
    environment: latest.environment,
    labels: latest.labels,
    startedAt,
    servingAt,
    endedAt,
    outcome,
    stages: allStages,
    dependencies: allDependencies,
    attributes: latest.attributes,
  };
}

/** The events' stages plus the record's that they do not report (same name and start). */
function withRecordStages(fromEvents: Stage[], fromRecord: readonly Stage[]): Stage[] {
  const reported = new Set(fromEvents.map((stage) => `${stage.startedAt} ${stage.name}`));
  const added = fromRecord.filter((stage) => !reported.has(`${stage.startedAt} ${stage.name}`));
  if (added.length === 0) return fromEvents;
  // Stable: at equal (startedAt, name) the events' stage comes first, then the record's.
  return [...fromEvents, ...added].sort(
    (a, b) => a.startedAt - b.startedAt || compareText(a.name, b.name),
  );
}

/** The events' samples plus the record's that they do not report (same name, seconds, at). */
function withRecordDependencies(
  fromEvents: DependencySample[],
  fromRecord: readonly DependencySample[],
): DependencySample[] {
  const key = (sample: DependencySample) => `${sample.at ?? ""} ${sample.seconds} ${sample.name}`;
  const reported = new Set(fromEvents.map(key));
  const added = fromRecord.filter((sample) => !reported.has(key(sample)));
  if (added.length === 0) return fromEvents;
  // Same order as the events' samples: by time, samples without one first; the record's after.
  return [...fromEvents, ...added].sort((a, b) =>
    compareNumbers(a.at ?? Number.NEGATIVE_INFINITY, b.at ?? Number.NEGATIVE_INFINITY),
  );
}
