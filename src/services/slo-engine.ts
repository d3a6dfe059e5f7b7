import { type Clock, systemClock } from "../clock/clock.js";
import { AttemptTables } from "../core/evaluation/attempt-tables.js";
import { evaluateSlo } from "../core/evaluation/evaluate-slo.js";
import { evaluateSlos } from "../core/evaluation/evaluate-slos.js";
import type { EvaluationResult, SloStatus } from "../core/evaluation/evaluation-result.js";
import { DurationBuffer } from "../core/evaluation/slo-tally.js";
import type { Slo } from "../core/spec/slo.js";
import type { Store } from "../store/store.js";

const CHANGES_PER_READ = 5_000;
/**
 * Status requests repeat every few seconds over the same windows: keep per-SLO aggregates in
 * one-day buckets so each request judges only the rows of the days at the window's edges.
 */
const TABLE_OPTIONS = { bucketMs: 86_400_000 } as const;

/** The SLOs and the in-memory view they are evaluated over, swapped as one on reload. */
interface View {
  readonly slos: readonly Slo[];
  readonly tables: AttemptTables;
  lastSeq: number;
}

/**
 * A replica's in-memory view of the stored attempts, evaluated with the core functions that
 * `deployslo evaluate` uses, so the service and the CLI give the same numbers for the same data.
 * The store is the source of truth: before answering, the engine reads the changes committed
 * since it last looked (by any replica), so replicas on one database answer alike.
 */
export class SloEngine {
  readonly #store: Store;
  readonly #clock: Pick<Clock, "now">;
  #view: View;
  #refreshing: Promise<void> | undefined;

  constructor(store: Store, slos: readonly Slo[], clock: Pick<Clock, "now"> = systemClock) {
    this.#store = store;
    this.#clock = clock;
    this.#view = { slos, tables: AttemptTables.forSlos(slos, TABLE_OPTIONS), lastSeq: 0 };
  }

  get slos(): readonly Slo[] {
    return this.#view.slos;
  }

  get attemptCount(): number {
    return this.#view.tables.size;
  }

  /**
   * Replaces the SLOs (config reload). Their indicators and selectors shape the tables, so a new
   * view is loaded from the store on the side and swapped in whole: requests meanwhile are
   * answered from the old one, never from a half-loaded one.
   */
  async setSlos(slos: readonly Slo[]): Promise<void> {
    const next: View = { slos, tables: AttemptTables.forSlos(slos, TABLE_OPTIONS), lastSeq: 0 };
    await this.#pull(next);
    // Build the new SLOs' bucket aggregates before they answer requests.
    evaluateSlos(slos, next.tables, this.#clock.now());
    await this.#refreshing;
    this.#view = next;
    await this.refresh();
  }

  /** Reads every change committed since the last refresh; concurrent callers share one read. */
  refresh(): Promise<void> {
    this.#refreshing ??= this.#pull(this.#view).finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  async #pull(view: View): Promise<void> {
    for (;;) {
      const changes = await this.#store.changesSince(view.lastSeq, CHANGES_PER_READ);
      for (const change of changes) {
        view.tables.add(change.attempt);
        view.lastSeq = change.seq;
      }
      if (changes.length < CHANGES_PER_READ) return;
    }
  }

  async status(at: number): Promise<EvaluationResult> {
    await this.refresh();
    const { slos, tables } = this.#view;
    return evaluateSlos(slos, tables, at);
  }

  find(name: string): Slo | undefined {
    return this.#view.slos.find((slo) => slo.name === name);
  }

  /** One SLO evaluated at each instant of `ats` (for charts), after one refresh. */
  async history(slo: Slo, ats: readonly number[]): Promise<SloStatus[]> {
    await this.refresh();
    const { tables } = this.#view;
    const durations = new DurationBuffer();
    return ats.map((at) => evaluateSlo(slo, tables, at, durations));
  }

  /** Runs a read-only core function over the current view, after one refresh (dashboard aggregates). */
  async read<T>(query: (slos: readonly Slo[], tables: AttemptTables) => T): Promise<T> {
    await this.refresh();
    const { slos, tables } = this.#view;
    return query(slos, tables);
  }
}
