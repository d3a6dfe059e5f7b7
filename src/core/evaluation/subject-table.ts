import { SUBJECT, type SubjectOutcome } from "./subject-outcome.js";

/** See SubjectTable.rowsBySeries. */
export interface SeriesIndex {
  readonly offsets: Int32Array;
  readonly rows: Int32Array;
  readonly maxSpan: Float64Array;
  readonly earliestOpen: Float64Array;
}

/** Orders rows[from..to) by start; data usually arrives in start order, so check first. */
function sortByStart(rows: Int32Array, from: number, to: number, start: Float64Array): void {
  let sorted = true;
  for (let r = from + 1; r < to && sorted; r++) {
    sorted = (start[rows[r - 1] ?? 0] ?? 0) <= (start[rows[r] ?? 0] ?? 0);
  }
  if (sorted) return;
  const segment = Array.from(rows.subarray(from, to));
  segment.sort((a, b) => (start[a] ?? 0) - (start[b] ?? 0) || a - b);
  rows.set(segment, from);
}

/** The first position in rows[from..to) whose row starts at or after `bound`. */
export function firstStartingAt(
  rows: Int32Array,
  from: number,
  to: number,
  start: Float64Array,
  bound: number,
): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((start[rows[mid] ?? 0] ?? 0) < bound) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Whether a row's outcome is settled (neither in progress nor replaced). */
export function isFinal(outcome: number): boolean {
  return outcome !== SUBJECT.inProgress && outcome !== SUBJECT.replaced;
}

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
  /** Bumped by every write, so derived indexes know when they are stale. */
  version = 0;
  #bySeries: (SeriesIndex & { readonly version: number }) | undefined;
  /**
   * Width of the time buckets that per-SLO aggregates are kept in (ms), or null for none; see
   * SloBuckets. A bucket holds the rows that start inside it.
   */
  readonly bucketMs: number | null;
  /** Per bucket (floor(start / bucketMs)), bumped by every write of a row starting in it. */
  readonly #bucketVersions = new Map<number, number>();
  /** Row numbers in the order they were written: a reader (VerdictCache) keeps its place. */
  #writes = new Int32Array(1024);
  writeCount = 0;
  /**
   * Bumped when a row whose outcome was final (not in progress) is written again or retired:
   * what a reader concluded from that row may no longer hold.
   */
  finalRewrites = 0;

  constructor(bucketMs: number | null = null) {
    this.bucketMs = bucketMs;
  }

  /** How often rows starting in bucket `b` were written; aggregates of it are stale when it moves. */
  bucketVersion(b: number): number {
    return this.#bucketVersions.get(b) ?? 0;
  }

  /** The rows written since the reader's place `from` (a row written twice appears twice). */
  writesSince(from: number): Int32Array {
    return this.#writes.subarray(from, this.writeCount);
  }

  #logWrite(index: number): void {
    if (this.writeCount === this.#writes.length) {
      const next = new Int32Array(this.#writes.length * 2);
      next.set(this.#writes);
      this.#writes = next;
    }
    this.#writes[this.writeCount++] = index;
  }

  #touch(start: number): void {
    const width = this.bucketMs;
    if (width === null) return;
    const b = Math.floor(start / width);
    this.#bucketVersions.set(b, (this.#bucketVersions.get(b) ?? 0) + 1);
  }

  #grow(): void {
    const size = this.start.length * 2;
    const grow = <T extends Float64Array | Uint8Array | Int32Array>(
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
  }

  /**
   * Row numbers grouped by series and, within a series, ordered by start: rows of series s are
   * `rows[offsets[s] .. offsets[s + 1])`. With each series' longest known span
   * (`maxSpan`: outcome known − start) and earliest start of a row still in progress
   * (`earliestOpen`), an evaluation can skip the rows that ended long before its window.
   * Cached until the next write.
   */
  rowsBySeries(seriesCount: number): SeriesIndex {
    const cached = this.#bySeries;
    if (
      cached !== undefined &&
      cached.version === this.version &&
      cached.offsets.length === seriesCount + 1
    ) {
      return cached;
    }
    const offsets = new Int32Array(seriesCount + 1);
    const { series, start, stop, end, outcome } = this;
    for (let i = 0; i < this.length; i++) {
      const slot = (series[i] ?? 0) + 1;
      offsets[slot] = (offsets[slot] ?? 0) + 1;
    }
    for (let s = 0; s < seriesCount; s++)
      offsets[s + 1] = (offsets[s + 1] ?? 0) + (offsets[s] ?? 0);
    const next = offsets.slice(0, seriesCount);
    const rows = new Int32Array(this.length);
    const maxSpan = new Float64Array(seriesCount);
    const earliestOpen = new Float64Array(seriesCount).fill(Number.POSITIVE_INFINITY);
    for (let i = 0; i < this.length; i++) {
      const s = series[i] ?? 0;
      const at = next[s] ?? 0;
      rows[at] = i;
      next[s] = at + 1;
      const begin = start[i] ?? 0;
      const code = outcome[i] ?? SUBJECT.inProgress;
      if (code === SUBJECT.inProgress) {
        if (begin < (earliestOpen[s] ?? 0)) earliestOpen[s] = begin;
      } else if (code !== SUBJECT.replaced) {
        const known = code === SUBJECT.succeeded ? (stop[i] ?? 0) : (end[i] ?? 0);
        if (known - begin > (maxSpan[s] ?? 0)) maxSpan[s] = known - begin;
      }
    }
    for (let s = 0; s < seriesCount; s++)
      sortByStart(rows, offsets[s] ?? 0, offsets[s + 1] ?? 0, start);
    this.#bySeries = { version: this.version, offsets, rows, maxSpan, earliestOpen };
    return this.#bySeries;
  }

  /** Writes a subject at `index` (an existing row, or `length` to append). */
  set(
    index: number,
    outcome: SubjectOutcome,
    start: number,
    stop: number | null,
    end: number | null,
    series: number,
  ): void {
    this.version++;
    if (index === this.length) {
      if (index === this.start.length) this.#grow();
      this.length++;
    } else {
      this.#touch(this.start[index] ?? 0);
      if (isFinal(this.outcome[index] ?? SUBJECT.inProgress)) this.finalRewrites++;
    }
    this.#logWrite(index);
    this.#touch(start);
    this.start[index] = start;
    this.stop[index] = stop ?? Number.NaN;
    this.end[index] = end ?? Number.NaN;
    this.outcome[index] = outcome;
    this.series[index] = series;
  }

  /** Marks rows [from, from + count) as replaced: they stay, and are never counted again. */
  retire(from: number, count: number): void {
    if (count === 0) return;
    this.version++;
    for (let i = from; i < from + count; i++) {
      this.#touch(this.start[i] ?? 0);
      if (isFinal(this.outcome[i] ?? SUBJECT.inProgress)) this.finalRewrites++;
      this.outcome[i] = SUBJECT.replaced;
    }
  }
}
