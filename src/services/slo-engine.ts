import { type Clock, systemClock } from "../clock/clock.js";
import { longestReach, sloReach } from "../core/alerting/slo-reach.js";
import { AttemptTables } from "../core/evaluation/attempt-tables.js";
import { evaluateSlo } from "../core/evaluation/evaluate-slo.js";
import { evaluateSlos } from "../core/evaluation/evaluate-slos.js";
import type { EvaluationResult, SloStatus } from "../core/evaluation/evaluation-result.js";
import { DurationBuffer } from "../core/evaluation/slo-tally.js";
import { VerdictCache } from "../core/evaluation/verdict-cache.js";
import type { Slo } from "../core/spec/slo.js";
import type { Store } from "../store/store.js";

const CHANGES_PER_READ = 5_000;
const ROWS_PER_READ = 10_000;
const DAY_MS = 86_400_000;
/**
 * Status requests repeat every few seconds over the same windows: keep per-SLO aggregates in
 * one-day buckets so each request judges only the rows of the days at the window's edges.
 */
const TABLE_OPTIONS = { bucketMs: DAY_MS } as const;

/** The SLOs and an in-memory view of the attempts they can see, swapped as one on reload. */
interface View {
  readonly slos: readonly Slo[];
  readonly tables: AttemptTables;
  lastSeq: number;
  /** The last change written when the view was read: changes after it were pulled one by one. */
  loadSeq: number;
  /** The tables hold every attempt still running and every one that ended at or after this. */
  readonly from: number;
  /** A view of the past holds only the attempts that started by this instant. */
  readonly until: number | undefined;
}

/** Figures over the attempts a view leaves out, once read (see SloEngine.overAllHistory). */
interface OlderFigures {
  value: unknown;
  failed: boolean;
  done: Promise<void>;
}

/** How long a caller of overAllHistory waits for the first pass over the older attempts. */
const OLDER_WAIT_MS = 2_000;

/**
 * Whether the SLOs read the attempts' stages or dependency samples (a stage, span or dependency
 * indicator, or a selector on attributes, which a stage may carry): their rows are then read
 * whole.
 */
function needsParts(slos: readonly Slo[]): boolean {
  return slos.some(
    (slo) =>
      slo.indicator.kind !== "deployment" || Object.keys(slo.selector.attributes ?? {}).length > 0,
  );
}

export interface EngineOptions {
  /**
   * How far past the longest reach of the SLOs the view keeps attempts, and how often (at
   * most) it drops the older ones. Default: a twentieth of the reach, at least a day.
   */
  readonly slackMs?: number;
}

/**
 * A replica's in-memory view of the stored attempts its SLOs can see, evaluated with the core
 * functions that `deployslo evaluate` uses, so the service and the CLI give the same numbers.
 * The store is the source of truth: before answering, the engine reads the changes committed
 * since it last looked (by any replica), so replicas on one database answer alike.
 *
 * Memory is bounded by the SLOs' windows, not by the stored history: the view holds the
 * attempts still running and those that ended within the longest reach of the SLOs (window
 * and alert lookbacks, see sloReach) plus some slack, and is reloaded with a later start
 * when it holds more than twice the slack. A question about an earlier instant (a chart of
 * last year) is answered from a view of that period read from the store on demand, with the
 * same exact numbers (test/services/bounded-engine.property.test.ts).
 */
export class SloEngine {
  readonly #store: Store;
  readonly #clock: Pick<Clock, "now">;
  readonly #slackMs: number | undefined;
  #view: View;
  #loaded = false;
  #refreshing: Promise<void> | undefined;
  #rebasing: Promise<void> | undefined;
  /** Figures over the attempts older than a view, per view (see overAllHistory). */
  readonly #older = new WeakMap<View, OlderFigures>();
  /** Per view's tables, the verdicts alert rounds keep between rounds. */
  readonly #verdicts = new WeakMap<AttemptTables, VerdictCache>();
  /** The last view of the past that was asked for, reused while nothing was written. */
  #past: View | undefined;

  constructor(
    store: Store,
    slos: readonly Slo[],
    clock: Pick<Clock, "now"> = systemClock,
    options: EngineOptions = {},
  ) {
    this.#store = store;
    this.#clock = clock;
    this.#slackMs = options.slackMs;
    this.#view = this.#emptyView(slos, this.#startFor(slos, clock.now()), undefined);
  }

  get slos(): readonly Slo[] {
    return this.#view.slos;
  }

  /** Attempts held in memory (the view), not every stored attempt. */
  get attemptCount(): number {
    return this.#view.tables.size;
  }

  /** The instant the in-memory view starts at: attempts that ended before it are not held. */
  get viewStart(): number {
    return this.#view.from;
  }

  #slack(slos: readonly Slo[]): number {
    return this.#slackMs ?? Math.max(DAY_MS, Math.ceil(longestReach(slos) / 20));
  }

  /** Where a view of `slos` made at `now` starts: on a grid of the slack, so replicas agree. */
  #startFor(slos: readonly Slo[], now: number): number {
    if (slos.length === 0) return now;
    const slack = this.#slack(slos);
    return Math.floor((now - longestReach(slos) - slack) / slack) * slack;
  }

  #emptyView(slos: readonly Slo[], from: number, until: number | undefined): View {
    return {
      slos,
      tables: AttemptTables.forSlos(slos, TABLE_OPTIONS),
      lastSeq: 0,
      loadSeq: 0,
      from,
      until,
    };
  }

  /**
   * Replaces the SLOs (config reload). Their indicators and selectors shape the tables, so a new
   * view is loaded from the store on the side and swapped in whole: requests meanwhile are
   * answered from the old one, never from a half-loaded one.
   */
  async setSlos(slos: readonly Slo[]): Promise<void> {
    const next = await this.#load(slos, this.#startFor(slos, this.#clock.now()), undefined);
    // Build the new SLOs' bucket aggregates before they answer requests.
    evaluateSlos(slos, next.tables, this.#clock.now());
    await this.#refreshing;
    this.#view = next;
    this.#loaded = true;
    this.#past = undefined;
    await this.refresh();
  }

  /** Reads every change committed since the last refresh; concurrent callers share one read. */
  refresh(): Promise<void> {
    this.#refreshing ??= this.#refresh().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  async #refresh(): Promise<void> {
    if (!this.#loaded) {
      const view = this.#view;
      const loaded = await this.#load(view.slos, view.from, undefined);
      if (this.#view === view) this.#view = loaded;
      this.#loaded = true;
      return;
    }
    await this.#pull(this.#view);
    this.#rebaseWhenDue();
  }

  /**
   * Starts loading a view with a later start when the current one holds more than twice the
   * slack beyond the reach; until it is loaded, the current one (which holds more) answers.
   */
  #rebaseWhenDue(): void {
    const view = this.#view;
    const next = this.#startFor(view.slos, this.#clock.now());
    if (this.#rebasing !== undefined || next - view.from < 2 * this.#slack(view.slos)) return;
    this.#rebasing = this.#load(view.slos, next, undefined)
      .then(async (loaded) => {
        await this.#refreshing;
        if (this.#view !== view) return;
        await this.#pull(loaded);
        this.#view = loaded;
      })
      .catch(() => {
        // The store was unreachable: the current view still answers; the next refresh retries.
      })
      .finally(() => {
        this.#rebasing = undefined;
      });
  }

  /** Waits for a reload with a later start, if one is under way (tests, benchmarks). */
  async settled(): Promise<void> {
    await this.#rebasing;
  }

  /**
   * A view of `slos` over the attempts in the store that ended at or after `from` (and started
   * by `until`): the changes since the read began are applied after it, so a row written
   * meanwhile is seen as it ended up.
   */
  async #load(slos: readonly Slo[], from: number, until: number | undefined): Promise<View> {
    const view = this.#emptyView(slos, from, until);
    view.lastSeq = await this.#store.lastAttemptSeq();
    view.loadSeq = view.lastSeq;
    const parts = needsParts(slos);
    const range = {
      endedFrom: from,
      parts,
      ...(until === undefined ? {} : { startedUntil: until }),
    };
    let cursor: Parameters<Store["attemptsInRange"]>[1];
    do {
      const page = await this.#store.attemptsInRange(range, cursor, ROWS_PER_READ);
      for (const attempt of page.attempts) view.tables.add(attempt);
      cursor = page.next ?? undefined;
    } while (cursor !== undefined);
    await this.#pull(view);
    return view;
  }

  async #pull(view: View): Promise<void> {
    for (;;) {
      const changes = await this.#store.changesSince(view.lastSeq, CHANGES_PER_READ);
      for (const change of changes) {
        const { attempt } = change;
        if (view.until === undefined || attempt.startedAt <= view.until) view.tables.add(attempt);
        view.lastSeq = change.seq;
      }
      if (changes.length < CHANGES_PER_READ) return;
    }
  }

  /**
   * A view that holds every attempt that ended at or after `from` or started by `latest`: the
   * current one when it starts early enough, else one of that period, read from the store (and
   * kept while nothing is written, for the next request about it).
   */
  async #viewFor(from: number, latest: number, fresh = true): Promise<View> {
    if (fresh || !this.#loaded) await this.refresh();
    const view = this.#view;
    if (from >= view.from || view.slos.length === 0) return view;
    const past = this.#past;
    if (
      past !== undefined &&
      past.slos === view.slos &&
      past.from <= from &&
      (past.until ?? Number.POSITIVE_INFINITY) >= latest &&
      (await this.#store.lastAttemptSeq()) === past.lastSeq
    ) {
      return past;
    }
    const loaded = await this.#load(view.slos, from, latest);
    this.#past = loaded;
    return loaded;
  }

  async status(at: number): Promise<EvaluationResult> {
    const { slos, tables } = await this.#viewFor(at - longestReach(this.#view.slos), at);
    return evaluateSlos(slos, tables, at);
  }

  /**
   * Builds every SLO's bucket aggregates as of `at`, one SLO per turn of the event loop, so
   * that a replica answers requests while it warms up and the first status after that is as
   * fast as the rest.
   */
  async warm(at: number): Promise<void> {
    const { slos } = this.#view;
    for (const slo of slos) {
      await new Promise((resolve) => setImmediate(resolve));
      await this.read((_slos, tables) => evaluateSlo(slo, tables, at), at, false);
    }
  }

  find(name: string): Slo | undefined {
    return this.#view.slos.find((slo) => slo.name === name);
  }

  /** One SLO evaluated at each instant of `ats` (for charts), over one view. */
  async history(slo: Slo, ats: readonly number[]): Promise<SloStatus[]> {
    if (ats.length === 0) return [];
    const from = Math.min(...ats) - sloReach(slo);
    const { tables } = await this.#viewFor(from, Math.max(...ats));
    const durations = new DurationBuffer();
    return ats.map((at) => evaluateSlo(slo, tables, at, durations));
  }

  /**
   * Runs a read-only core function over a view holding what evaluations as of `at` (default:
   * now) can count, after one refresh (dashboard aggregates, the gate, alert rounds). With
   * `fresh` false, without reading the changes first: a caller that reads many times over one
   * snapshot (an alert round, one SLO per turn of the event loop) refreshes once itself.
   */
  async read<T>(
    query: (slos: readonly Slo[], tables: AttemptTables, verdicts: VerdictCache) => T,
    at: number = this.#clock.now(),
    fresh = true,
  ): Promise<T> {
    const from = at - longestReach(this.#view.slos);
    const { slos, tables } = await this.#viewFor(from, at, fresh);
    let verdicts = this.#verdicts.get(tables);
    if (verdicts === undefined) {
      verdicts = new VerdictCache(tables);
      this.#verdicts.set(tables, verdicts);
    }
    return query(slos, tables, verdicts);
  }

  /**
   * Figures over every stored attempt (the /metrics counters), for a cost per call of the
   * attempts in memory only: `measure` runs over the view and, once per view, page by page over
   * the attempts it leaves out (ended before its start, written before it was read), and the
   * two are added. Undefined until that first pass is done (it runs in the background).
   * An attempt rewritten after it left the view is counted in both until the next view.
   */
  async overAllHistory<T>(
    measure: (slos: readonly Slo[], tables: AttemptTables) => T,
    add: (a: T, b: T) => T,
  ): Promise<T | undefined> {
    await this.refresh();
    const view = this.#view;
    let older = this.#older.get(view);
    if (older === undefined || older.failed) {
      const slot: OlderFigures = { value: undefined, failed: false, done: Promise.resolve() };
      slot.done = this.#measureOlder(view, measure, add).then(
        (value) => {
          slot.value = value;
        },
        () => {
          slot.failed = true;
        },
      );
      this.#older.set(view, slot);
      older = slot;
    }
    if (older.value === undefined) {
      // A small history is read at once; a large one answers undefined until it is.
      await Promise.race([
        older.done,
        new Promise((resolve) => setTimeout(resolve, OLDER_WAIT_MS)),
      ]);
    }
    if (older.value === undefined) return undefined;
    return add(measure(view.slos, view.tables), older.value as T);
  }

  async #measureOlder<T>(
    view: View,
    measure: (slos: readonly Slo[], tables: AttemptTables) => T,
    add: (a: T, b: T) => T,
  ): Promise<T> {
    const range = {
      endedFrom: Number.MIN_SAFE_INTEGER,
      endedBefore: view.from,
      seqAtMost: view.loadSeq,
      parts: needsParts(view.slos),
    };
    let total = measure(view.slos, AttemptTables.forSlos(view.slos));
    let cursor: Parameters<Store["attemptsInRange"]>[1];
    do {
      const page = await this.#store.attemptsInRange(range, cursor, ROWS_PER_READ);
      const tables = AttemptTables.forSlos(view.slos);
      for (const attempt of page.attempts) tables.add(attempt);
      total = add(total, measure(view.slos, tables));
      cursor = page.next ?? undefined;
      // One page per turn of the event loop: requests are answered meanwhile.
      await new Promise((resolve) => setImmediate(resolve));
    } while (cursor !== undefined);
    return total;
  }
}
