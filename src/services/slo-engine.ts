import { AttemptTables } from "../core/attempt-tables.js";
import { evaluateSlo } from "../core/evaluate-slo.js";
import { evaluateSlos } from "../core/evaluate-slos.js";
import type { Slo } from "../core/slo.js";
import type { EvaluationResult, SloStatus } from "../core/slo-status.js";
import type { Store } from "../store/store.js";

const CHANGES_PER_READ = 5_000;

/**
 * A replica's in-memory view of the stored attempts, evaluated with the core functions that
 * `deployslo evaluate` uses, so the service and the CLI give the same numbers for the same data.
 * The store is the source of truth: before answering, the engine reads the changes committed
 * since it last looked (by any replica), so replicas on one database answer alike.
 */
export class SloEngine {
  readonly #store: Store;
  #slos: readonly Slo[];
  #tables: AttemptTables;
  #lastSeq = 0;
  #refreshing: Promise<void> | undefined;

  constructor(store: Store, slos: readonly Slo[]) {
    this.#store = store;
    this.#slos = slos;
    this.#tables = AttemptTables.forSlos(slos);
  }

  get slos(): readonly Slo[] {
    return this.#slos;
  }

  get attemptCount(): number {
    return this.#tables.size;
  }

  /** Replaces the SLOs (config reload). Stage indicators decide the tables, so they are rebuilt. */
  async setSlos(slos: readonly Slo[]): Promise<void> {
    await this.#refreshing;
    this.#slos = slos;
    this.#tables = AttemptTables.forSlos(slos);
    this.#lastSeq = 0;
    await this.refresh();
  }

  /** Reads every change committed since the last refresh; concurrent callers share one read. */
  refresh(): Promise<void> {
    this.#refreshing ??= this.#pull().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  async #pull(): Promise<void> {
    for (;;) {
      const changes = await this.#store.changesSince(this.#lastSeq, CHANGES_PER_READ);
      for (const change of changes) {
        this.#tables.add(change.attempt);
        this.#lastSeq = change.seq;
      }
      if (changes.length < CHANGES_PER_READ) return;
    }
  }

  async status(at: number): Promise<EvaluationResult> {
    await this.refresh();
    return evaluateSlos(this.#slos, this.#tables, at);
  }

  find(name: string): Slo | undefined {
    return this.#slos.find((slo) => slo.name === name);
  }

  /** One SLO evaluated at each instant of `ats` (for charts), after one refresh. */
  async history(slo: Slo, ats: readonly number[]): Promise<SloStatus[]> {
    await this.refresh();
    return ats.map((at) => evaluateSlo(slo, this.#tables, at));
  }
}
