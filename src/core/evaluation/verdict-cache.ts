import type { Slo } from "../spec/slo.js";
import type { AttemptTables } from "./attempt-tables.js";
import { selectorMatcher } from "./selector-matcher.js";
import { SUBJECT, type SubjectOutcome } from "./subject-outcome.js";
import { firstStartingAt, isFinal, type SubjectTable } from "./subject-table.js";
import { emptyVerdict, judge, VERDICT } from "./verdict.js";
import { VerdictSeries } from "./verdict-series.js";

/** Verdicts sorted by instant, in parallel arrays. */
interface Sorted {
  times: Float64Array;
  bad: Uint8Array;
  durations: Float64Array;
  length: number;
}

/** What one SLO's alert rounds keep between rounds. */
interface Entry {
  readonly table: SubjectTable;
  readonly finalRewrites: number;
  /** The place in the table's write log read up to. */
  logPos: number;
  /** Per series: 1 when the SLO's selector takes it (grown as series appear). */
  seriesMatch: Uint8Array;
  readonly matches: ReturnType<typeof selectorMatcher>;
  /** The instant of the last round: a round at an earlier one starts over. */
  lastAt: number;
  /** Verdicts of rows settled for good (final, and known by a past round's instant). */
  settled: Sorted;
  /** The rows that may still change: in progress, or known only after the last round. */
  readonly open: Set<number>;
}

function emptySorted(capacity = 1024): Sorted {
  return {
    times: new Float64Array(capacity),
    bad: new Uint8Array(capacity),
    durations: new Float64Array(capacity),
    length: 0,
  };
}

/** Verdicts found in one pass, to be sorted. */
class Found {
  readonly at: number[] = [];
  readonly bad: number[] = [];
  readonly durations: number[] = [];

  sorted(): Sorted {
    const order = this.at.map((_v, i) => i).sort((a, b) => (this.at[a] ?? 0) - (this.at[b] ?? 0));
    const out = emptySorted(Math.max(1, order.length));
    order.forEach((k, i) => {
      out.times[i] = this.at[k] ?? 0;
      out.bad[i] = this.bad[k] ?? 0;
      out.durations[i] = this.durations[k] ?? 0;
    });
    out.length = order.length;
    return out;
  }
}

/** The verdicts of `a` and `b` merged by instant (a's first among equal instants). */
function merge(a: Sorted, aFrom: number, b: Sorted): Sorted {
  const out = emptySorted(Math.max(1, a.length - aFrom + b.length));
  let i = aFrom;
  let j = 0;
  let k = 0;
  while (i < a.length || j < b.length) {
    const takeA = j >= b.length || (i < a.length && (a.times[i] ?? 0) <= (b.times[j] ?? 0));
    const from = takeA ? a : b;
    const at = takeA ? i++ : j++;
    out.times[k] = from.times[at] ?? 0;
    out.bad[k] = from.bad[at] ?? 0;
    out.durations[k] = from.durations[at] ?? 0;
    k++;
  }
  out.length = k;
  return out;
}

/** The first index of `sorted` whose instant is after `t`. */
function firstAfter(sorted: Sorted, t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted.times[mid] ?? 0) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The verdict series of each SLO's alert rounds, kept between rounds over one AttemptTables, so
 * that a round costs what changed since the last one, not the rows of the whole window: the
 * verdicts of rows that settled are kept, sorted; a round judges the rows written since (from
 * the table's write log) and the rows still open, merges, and forgets verdicts older than the
 * SLO's alert horizon. A row that had settled and is written again (a corrected record), or a
 * round at an earlier instant, makes the SLO start over. The series equals
 * VerdictSeries.ofTables over the verdicts after `after` (verdict-cache.property.test.ts).
 */
export class VerdictCache {
  readonly #tables: AttemptTables;
  readonly #entries = new WeakMap<Slo, Entry>();
  readonly #verdict = emptyVerdict();

  constructor(tables: AttemptTables) {
    this.#tables = tables;
  }

  /** The SLO's verdicts known by `at`, complete after `after` (see VerdictSeries.ofTables). */
  series(slo: Slo, at: number, after: number): VerdictSeries {
    const table = this.#tables.tableFor(slo.indicator);
    if (table === undefined) return VerdictSeries.ofTables(slo, this.#tables, at, after);
    let entry = this.#entries.get(slo);
    if (
      entry === undefined ||
      entry.table !== table ||
      entry.finalRewrites !== table.finalRewrites ||
      at < entry.lastAt
    ) {
      entry = this.#build(slo, table, at, after);
      this.#entries.set(slo, entry);
    } else {
      this.#advance(slo, entry, at);
    }
    entry.lastAt = at;
    return this.#round(slo, entry, at, after);
  }

  #matchSeries(entry: Entry): Uint8Array {
    const { series } = this.#tables;
    if (entry.seriesMatch.length < series.length) {
      const grown = new Uint8Array(series.length);
      grown.set(entry.seriesMatch);
      for (let s = entry.seriesMatch.length; s < series.length; s++) {
        const one = series[s];
        grown[s] = one !== undefined && entry.matches(one) ? 1 : 0;
      }
      entry.seriesMatch = grown;
    }
    return entry.seriesMatch;
  }

  /** Whether row `i` can change no more as of `at`: final, and everything about it known. */
  #settles(table: SubjectTable, i: number, at: number): boolean {
    if (!isFinal(table.outcome[i] ?? SUBJECT.inProgress)) return false;
    const stop = table.stop[i] ?? Number.NaN;
    const end = table.end[i] ?? Number.NaN;
    return !(stop > at) && !(end > at);
  }

  /** Judges row `i` as of `at` into `found` when it has a verdict. */
  #judge(table: SubjectTable, i: number, t: number, at: number, found: Found): void {
    const v = this.#verdict;
    judge(
      v,
      (table.outcome[i] ?? SUBJECT.inProgress) as SubjectOutcome,
      table.start[i] ?? 0,
      table.stop[i] ?? Number.NaN,
      table.end[i] ?? Number.NaN,
      t,
      at,
    );
    if (v.kind === VERDICT.good || v.kind === VERDICT.bad) {
      found.at.push(v.at);
      found.bad.push(v.kind === VERDICT.bad ? 1 : 0);
      found.durations.push(v.durationMs);
    }
  }

  #build(slo: Slo, table: SubjectTable, at: number, after: number): Entry {
    const entry: Entry = {
      table,
      finalRewrites: table.finalRewrites,
      logPos: table.writeCount,
      seriesMatch: new Uint8Array(0),
      matches: selectorMatcher(slo.selector),
      lastAt: at,
      settled: emptySorted(),
      open: new Set(),
    };
    const seriesMatch = this.#matchSeries(entry);
    const found = new Found();
    const t = slo.objective.thresholdMs;
    const { start } = table;
    const { offsets, rows, maxSpan, earliestOpen } = table.rowsBySeries(this.#tables.series.length);
    for (let s = 0; s < seriesMatch.length; s++) {
      if (seriesMatch[s] === 0) continue;
      const last = offsets[s + 1] ?? 0;
      const lowest = Math.min(after - (maxSpan[s] ?? 0), earliestOpen[s] ?? 0);
      for (let r = firstStartingAt(rows, offsets[s] ?? 0, last, start, lowest); r < last; r++) {
        const i = rows[r] ?? 0;
        if (this.#settles(table, i, at)) this.#judge(table, i, t, at, found);
        else if ((table.outcome[i] ?? SUBJECT.replaced) !== SUBJECT.replaced) entry.open.add(i);
      }
    }
    entry.settled = found.sorted();
    return entry;
  }

  /** Takes in the rows written since the last round and the open rows that settled since. */
  #advance(slo: Slo, entry: Entry, at: number): void {
    const { table } = entry;
    const seriesMatch = this.#matchSeries(entry);
    const written = table.writesSince(entry.logPos);
    entry.logPos = table.writeCount;
    for (const i of written) {
      // A record rewritten into a series the SLO does not take (another environment) leaves it.
      if (seriesMatch[table.series[i] ?? 0] === 1) entry.open.add(i);
      else entry.open.delete(i);
    }
    const found = new Found();
    const t = slo.objective.thresholdMs;
    for (const i of entry.open) {
      if ((table.outcome[i] ?? SUBJECT.replaced) === SUBJECT.replaced) {
        entry.open.delete(i);
      } else if (this.#settles(table, i, at)) {
        entry.open.delete(i);
        this.#judge(table, i, t, at, found);
      }
    }
    if (found.at.length === 0) return;
    const news = found.sorted();
    const { settled } = entry;
    const lastTime =
      settled.length === 0 ? Number.NEGATIVE_INFINITY : (settled.times[settled.length - 1] ?? 0);
    if ((news.times[0] ?? 0) >= lastTime && settled.times.length >= settled.length + news.length) {
      settled.times.set(news.times.subarray(0, news.length), settled.length);
      settled.bad.set(news.bad.subarray(0, news.length), settled.length);
      settled.durations.set(news.durations.subarray(0, news.length), settled.length);
      settled.length += news.length;
    } else {
      const merged = merge(settled, 0, news);
      // Room to append the next rounds' verdicts without merging again.
      const roomy = emptySorted(merged.length * 2 + 1024);
      roomy.times.set(merged.times.subarray(0, merged.length));
      roomy.bad.set(merged.bad.subarray(0, merged.length));
      roomy.durations.set(merged.durations.subarray(0, merged.length));
      roomy.length = merged.length;
      entry.settled = roomy;
    }
  }

  /** This round's series: the settled verdicts after `after`, with the open rows' as of `at`. */
  #round(slo: Slo, entry: Entry, at: number, after: number): VerdictSeries {
    const { settled, table } = entry;
    const from = firstAfter(settled, after);
    if (from > settled.length / 2 && from > 4096) {
      // Forget the verdicts no round can ask about any more (the horizon only moves forward).
      const kept = merge(settled, from, emptySorted(0));
      entry.settled = kept;
      return this.#round(slo, entry, at, after);
    }
    const transient = new Found();
    const t = slo.objective.thresholdMs;
    for (const i of entry.open) this.#judge(table, i, t, at, transient);
    if (transient.at.length === 0) {
      // Nothing open has a verdict: the settled ones are the series, without a copy.
      return VerdictSeries.fromSorted(
        settled.times.subarray(from, settled.length),
        settled.bad.subarray(from, settled.length),
        settled.durations.subarray(from, settled.length),
      );
    }
    const merged = merge(settled, from, transient.sorted());
    return VerdictSeries.fromSorted(
      merged.times.subarray(0, merged.length),
      merged.bad.subarray(0, merged.length),
      merged.durations.subarray(0, merged.length),
    );
  }
}
