import type { SubjectOutcome } from "./subject-outcome.js";

/**
 * Columnar storage of subjects (attempts, or runs of one stage) for evaluation. Typed
 * arrays keep a million subjects in tens of megabytes and let every SLO scan them without
 * allocating; SLOs share one table per indicator, so memory does not grow with their number.
 */
export class SubjectTable {
  length = 0;
  start = new Float64Array(1024);
  /** servingAt, or a stage's end when it succeeded; NaN when absent. */
  stop = new Float64Array(1024);
  /** endedAt; NaN when absent. */
  end = new Float64Array(1024);
  outcome = new Uint8Array(1024);
  /** Index into AttemptTables.series: which model/environment/labels the subject belongs to. */
  series = new Int32Array(1024);
  /** The attempt a stage run belongs to, and that attempt's generation when it was added. */
  owner = new Int32Array(1024);
  generation = new Uint32Array(1024);

  #grow(): void {
    const size = this.start.length * 2;
    const grow = <T extends Float64Array | Uint8Array | Int32Array | Uint32Array>(
      old: T,
      make: (n: number) => T,
    ): T => {
      const next = make(size);
      next.set(old);
      return next;
    };
    this.start = grow(this.start, (n) => new Float64Array(n));
    this.stop = grow(this.stop, (n) => new Float64Array(n));
    this.end = grow(this.end, (n) => new Float64Array(n));
    this.outcome = grow(this.outcome, (n) => new Uint8Array(n));
    this.series = grow(this.series, (n) => new Int32Array(n));
    this.owner = grow(this.owner, (n) => new Int32Array(n));
    this.generation = grow(this.generation, (n) => new Uint32Array(n));
  }

  /** Writes a subject at `index` (an existing row, or `length` to append). */
  set(
    index: number,
    outcome: SubjectOutcome,
    start: number,
    stop: number | null,
    end: number | null,
    series: number,
    owner: number,
    generation: number,
  ): void {
    if (index === this.length) {
      if (index === this.start.length) this.#grow();
      this.length++;
    }
    this.start[index] = start;
    this.stop[index] = stop ?? Number.NaN;
    this.end[index] = end ?? Number.NaN;
    this.outcome[index] = outcome;
    this.series[index] = series;
    this.owner[index] = owner;
    this.generation[index] = generation;
  }
}
