import { SUBJECT, type SubjectOutcome } from "./subject-outcome.js";
import { firstStartingAt, type SeriesIndex, type SubjectTable } from "./subject-table.js";
import { emptyVerdict, judge, VERDICT } from "./verdict.js";

/**
 * What one SLO takes from the rows that start in one time bucket, for every evaluation as of an
 * instant after the bucket ends. A row is *settled* there when its verdict, duration and
 * violation are all known before the bucket ends: then no later instant changes them, so they
 * are kept as counts and sorted times. The other rows (still in progress at the bucket's end)
 * are *late*: kept by row number and judged again at every evaluation.
 */
export interface BucketAggregate {
  readonly version: number;
  /** Verdict instants of the settled good and bad rows, ascending. */
  readonly goodAt: Float64Array;
  readonly badAt: Float64Array;
  /** Durations of the settled rows that succeeded, ascending. */
  readonly durations: Float64Array;
  /** Non-empty violation intervals [from, to) of settled rows (excess-time budgets). */
  readonly violationFrom: Float64Array;
  readonly violationTo: Float64Array;
  readonly violationMs: number;
  readonly late: Int32Array;
}

/** The durations of a run of whole buckets, merged and sorted, with what they were built from. */
interface Merged {
  readonly from: number;
  readonly to: number;
  readonly parts: readonly BucketAggregate[];
  readonly values: Float64Array;
}

const EMPTY = new Float64Array(0);

function ascending(values: number[]): Float64Array {
  return values.length === 0 ? EMPTY : Float64Array.from(values).sort();
}

/**
 * Aggregates of one deployment SLO's verdicts per time bucket, built on first use and rebuilt
 * when a row starting in the bucket is written (SubjectTable.bucketVersion). They let an
 * evaluation judge only the rows near the edges of its window instead of every row inside it;
 * evaluate-slo.reference.test.ts checks the result equals a plain reading of the rules.
 */
export class SloBuckets {
  readonly #byBucket = new Map<number, BucketAggregate>();
  #merged: Merged | undefined;

  /** The aggregate of bucket `b` for an SLO with threshold `t` over the matched series. */
  bucket(
    b: number,
    table: SubjectTable,
    index: SeriesIndex,
    seriesMatch: Uint8Array,
    t: number,
  ): BucketAggregate {
    const version = table.bucketVersion(b);
    const cached = this.#byBucket.get(b);
    if (cached !== undefined && cached.version === version) return cached;
    const built = buildBucket(b, version, table, index, seriesMatch, t);
    this.#byBucket.set(b, built);
    return built;
  }

  /**
   * The sorted durations of buckets [from, to) (already fetched with `bucket`), reused while the
   * same buckets in the same versions are asked for: a status request every few seconds
   * rebuilds it only when the window crosses a bucket boundary or a row in it is written.
   */
  durations(from: number, to: number, aggregates: readonly BucketAggregate[]): Float64Array {
    const cached = this.#merged;
    let values: Float64Array | undefined;
    if (cached !== undefined) {
      // Shared buckets must be the very aggregates merged before (same object, same version).
      const shareFrom = Math.max(from, cached.from);
      const shareTo = Math.min(to, cached.to);
      let shared = shareTo > shareFrom;
      for (let b = shareFrom; shared && b < shareTo; b++) {
        shared = cached.parts[b - cached.from] === aggregates[b - from];
      }
      if (shared) {
        // The window slid (a new day, or the next point of a history): drop and add whole
        // buckets with linear merges instead of sorting everything again.
        values = cached.values;
        for (let b = cached.from; b < cached.to; b++) {
          const part = cached.parts[b - cached.from];
          if ((b < shareFrom || b >= shareTo) && part !== undefined) {
            values = withoutSorted(values, part.durations);
          }
        }
        for (let b = from; b < to; b++) {
          const part = aggregates[b - from];
          if ((b < shareFrom || b >= shareTo) && part !== undefined) {
            values = mergeSorted(values, part.durations);
          }
        }
      }
    }
    if (values === undefined) {
      let total = 0;
      for (const aggregate of aggregates) total += aggregate.durations.length;
      values = new Float64Array(total);
      let at = 0;
      for (const aggregate of aggregates) {
        values.set(aggregate.durations, at);
        at += aggregate.durations.length;
      }
      values.sort();
    }
    this.#merged = { from, to, parts: [...aggregates], values };
    return values;
  }

  /** Forgets buckets before `b`: no window that starts there or later needs them. */
  forgetBefore(b: number): void {
    for (const key of this.#byBucket.keys()) if (key < b) this.#byBucket.delete(key);
  }
}

function buildBucket(
  b: number,
  version: number,
  table: SubjectTable,
  index: SeriesIndex,
  seriesMatch: Uint8Array,
  t: number,
): BucketAggregate {
  const width = table.bucketMs ?? 1;
  const bucketStart = b * width;
  const bucketEnd = bucketStart + width;
  // Judged as of the bucket's last instant: a row that is not in progress then is final.
  const asOf = bucketEnd - 1;
  const goodAt: number[] = [];
  const badAt: number[] = [];
  const durations: number[] = [];
  const violationFrom: number[] = [];
  const violationTo: number[] = [];
  const late: number[] = [];
  let violationMs = 0;
  const v = emptyVerdict();
  const { start, stop, end, outcome } = table;
  const { offsets, rows } = index;
  for (let s = 0; s < seriesMatch.length; s++) {
    if (seriesMatch[s] === 0) continue;
    const last = offsets[s + 1] ?? 0;
    for (let r = firstStartingAt(rows, offsets[s] ?? 0, last, start, bucketStart); r < last; r++) {
      const i = rows[r] ?? 0;
      const begin = start[i] ?? 0;
      if (begin >= bucketEnd) break;
      judge(
        v,
        (outcome[i] ?? SUBJECT.inProgress) as SubjectOutcome,
        begin,
        stop[i] ?? 0,
        end[i] ?? 0,
        t,
        asOf,
      );
      if (v.inProgress) {
        late.push(i);
        continue;
      }
      if (v.kind === VERDICT.good) goodAt.push(v.at);
      else if (v.kind === VERDICT.bad) badAt.push(v.at);
      if (!Number.isNaN(v.durationMs)) durations.push(v.durationMs);
      if (v.violationEnd > v.violationStart) {
        violationFrom.push(v.violationStart);
        violationTo.push(v.violationEnd);
        violationMs += v.violationEnd - v.violationStart;
      }
    }
  }
  return {
    version,
    goodAt: ascending(goodAt),
    badAt: ascending(badAt),
    durations: ascending(durations),
    violationFrom: violationFrom.length === 0 ? EMPTY : Float64Array.from(violationFrom),
    violationTo: violationTo.length === 0 ? EMPTY : Float64Array.from(violationTo),
    violationMs,
    late: Int32Array.from(late),
  };
}

/** The ascending union (with repeats) of two ascending arrays. */
export function mergeSorted(a: Float64Array, b: Float64Array): Float64Array {
  if (b.length === 0) return a;
  const out = new Float64Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] ?? 0;
    const y = b[j] ?? 0;
    if (x <= y) {
      out[k++] = x;
      i++;
    } else {
      out[k++] = y;
      j++;
    }
  }
  out.set(a.subarray(i), k);
  out.set(b.subarray(j), k + a.length - i);
  return out;
}

/** `a` without one occurrence of each value of `b` (both ascending; b ⊆ a as a multiset). */
export function withoutSorted(a: Float64Array, b: Float64Array): Float64Array {
  if (b.length === 0) return a;
  const out = new Float64Array(a.length - b.length);
  let j = 0;
  let k = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    if (j < b.length && x === b[j]) j++;
    else out[k++] = x;
  }
  return out;
}

/** How many of the ascending `values` are greater than `bound`. */
export function countAbove(values: Float64Array, bound: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((values[mid] ?? 0) <= bound) lo = mid + 1;
    else hi = mid;
  }
  return values.length - lo;
}

/**
 * The k-th smallest (0-based) value of the union of two ascending arrays a[0..aLength) and
 * b[0..bLength), in O(log) steps.
 */
export function kthOfTwo(
  a: Float64Array,
  aLength: number,
  b: Float64Array,
  bLength: number,
  k: number,
): number {
  // Take i from a and k + 1 − i from b such that both prefixes hold the k + 1 smallest.
  let lo = Math.max(0, k + 1 - bLength);
  let hi = Math.min(k + 1, aLength);
  while (lo < hi) {
    const i = (lo + hi) >>> 1;
    const j = k + 1 - i;
    // Too few from a when a[i] < b[j − 1].
    if ((a[i] ?? 0) < (b[j - 1] ?? 0)) lo = i + 1;
    else hi = i;
  }
  const i = lo;
  const j = k + 1 - i;
  const fromA = i > 0 ? (a[i - 1] ?? 0) : Number.NEGATIVE_INFINITY;
  const fromB = j > 0 ? (b[j - 1] ?? 0) : Number.NEGATIVE_INFINITY;
  return Math.max(fromA, fromB);
}
