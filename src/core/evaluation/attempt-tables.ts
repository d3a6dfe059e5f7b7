import type { Attempt, Stage } from "../attempt/attempt.js";
import { attemptAttribute, runAttribute } from "../attempt/attempt-attribute.js";
import { IdIndex } from "../primitives/id-index.js";
import type { Indicator, Slo } from "../spec/slo.js";
import { OwnerRows } from "./owner-rows.js";
import { selectorMatcher } from "./selector-matcher.js";
import { SloBuckets } from "./slo-buckets.js";
import { type SpanIndicator, spanKey } from "./span-key.js";
import { spanSubject } from "./span-subject.js";
import { SUBJECT, subjectOfOutcome, subjectOfStageStatus } from "./subject-outcome.js";
import { SubjectTable } from "./subject-table.js";

export interface TableOptions {
  /**
   * Keep per-SLO aggregates of deployment verdicts in time buckets of this width (ms), so that
   * repeated evaluations (a service answering status requests) judge only the rows near the
   * window's edges. Leave unset for one-shot evaluations: building the buckets costs more than
   * one plain scan.
   */
  readonly bucketMs?: number;
  /** The span indicators (from → to) some SLO measures: one table each. */
  readonly spans?: Iterable<SpanIndicator>;
  /** The attribute names some selector matches on: series are told apart by these too. */
  readonly attributeNames?: readonly string[];
}

/**
 * One distinct (model, environment, labels, selected attributes) combination; selectors are
 * matched per series.
 */
export interface Series {
  readonly model: string;
  readonly environment: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The values of the attributes selectors use (attemptAttribute), where the attempt has one. */
  readonly attributes: Readonly<Record<string, string>>;
}

/**
 * The attempts an evaluation runs over, kept as one SubjectTable for deployments and one per
 * stage named by a stage indicator. Attempts are keyed by id: adding an id again replaces
 * the earlier record (as an upsert would), including its stage runs and dependency samples,
 * which are retired (SUBJECT.replaced) so that no aggregate counts them twice.
 */
export class AttemptTables {
  readonly deployments: SubjectTable;
  readonly #buckets = new WeakMap<Slo, SloBuckets>();
  readonly stages = new Map<string, SubjectTable>();
  /** One table per dependency named by a dependency indicator: each sample is a subject. */
  readonly dependencies = new Map<string, SubjectTable>();
  /** One table per span indicator (by spanKey): each attempt that reached its start is a subject. */
  readonly spans = new Map<
    string,
    { readonly indicator: SpanIndicator; readonly table: SubjectTable }
  >();
  readonly series: Series[] = [];
  /** model → environment → label key → series number. */
  readonly #seriesIndex = new Map<string, Map<string, Map<string, number>>>();
  readonly #ids = new IdIndex();
  /** Per series, how many attempts it holds now. */
  readonly #seriesRows: number[] = [];
  /** Per stage or dependency table, which rows each attempt wrote to it. */
  readonly #ownerRows = new Map<SubjectTable, OwnerRows>();

  readonly #labelNames: readonly string[] | undefined;
  readonly #attributeNames: readonly string[];
  /** Per SLO, which series its selector takes (1 or 0), grown as series appear. */
  readonly #seriesMatch = new WeakMap<Slo, Uint8Array>();

  /**
   * @param stageNames the stages that some SLO's indicator measures.
   * @param labelNames the label names some selector matches on: series are told apart by these
   *   only (undefined: by every label). Fewer distinct series make reading and matching cheaper.
   */
  constructor(
    stageNames: Iterable<string> = [],
    labelNames?: readonly string[],
    dependencyNames: Iterable<string> = [],
    options: TableOptions = {},
  ) {
    for (const name of stageNames) this.stages.set(name, new SubjectTable());
    for (const name of dependencyNames) this.dependencies.set(name, new SubjectTable());
    for (const indicator of options.spans ?? [])
      this.spans.set(spanKey(indicator), { indicator, table: new SubjectTable() });
    this.#labelNames = labelNames;
    this.#attributeNames = options.attributeNames ?? [];
    this.deployments = new SubjectTable(options.bucketMs ?? null);
  }

  /** Tables for evaluating exactly these SLOs. */
  static forSlos(slos: readonly Slo[], options: TableOptions = {}): AttemptTables {
    const stages = new Set<string>();
    const labels = new Set<string>();
    const dependencies = new Set<string>();
    const spans = new Map<string, SpanIndicator>();
    const attributes = new Set<string>();
    for (const slo of slos) {
      if (slo.indicator.kind === "stage") stages.add(slo.indicator.stage);
      if (slo.indicator.kind === "dependency") dependencies.add(slo.indicator.dependency);
      if (slo.indicator.kind === "span") spans.set(spanKey(slo.indicator), slo.indicator);
      for (const name of Object.keys(slo.selector.labels)) labels.add(name);
      for (const name of Object.keys(slo.selector.attributes ?? {})) attributes.add(name);
    }
    return new AttemptTables(stages, [...labels].sort(), dependencies, {
      ...options,
      spans: spans.values(),
      attributeNames: [...attributes].sort(),
    });
  }

  /**
   * The per-SLO aggregates kept for a deployment SLO over these tables, or undefined when the
   * tables keep none (see TableOptions.bucketMs) or the SLO measures a stage.
   */
  bucketsFor(slo: Slo): SloBuckets | undefined {
    if (this.deployments.bucketMs === null || slo.indicator.kind !== "deployment") return undefined;
    let buckets = this.#buckets.get(slo);
    if (buckets === undefined) {
      buckets = new SloBuckets();
      this.#buckets.set(slo, buckets);
    }
    return buckets;
  }

  /**
   * Which series `slo`'s selector takes: 1 or 0 per series. Series are only ever added, so the
   * answer is kept and extended, not matched again for every evaluation of a thousand SLOs.
   */
  seriesMatchOf(slo: Slo): Uint8Array {
    const known = this.#seriesMatch.get(slo);
    if (known !== undefined && known.length === this.series.length) return known;
    const matches = selectorMatcher(slo.selector);
    const next = new Uint8Array(this.series.length);
    if (known !== undefined) next.set(known);
    for (let s = known?.length ?? 0; s < this.series.length; s++) {
      const series = this.series[s];
      next[s] = series !== undefined && matches(series) ? 1 : 0;
    }
    this.#seriesMatch.set(slo, next);
    return next;
  }

  get size(): number {
    return this.deployments.length;
  }

  tableFor(indicator: Indicator): SubjectTable | undefined {
    if (indicator.kind === "deployment") return this.deployments;
    if (indicator.kind === "stage") return this.stages.get(indicator.stage);
    if (indicator.kind === "span") return this.spans.get(spanKey(indicator))?.table;
    return this.dependencies.get(indicator.dependency);
  }

  /**
   * The series of an attempt or, with `run`, of one run of a stage: the run's own attributes
   * come before the attempt's (see runAttribute).
   */
  #seriesOf(attempt: Attempt, run?: Stage): number {
    // Nested maps of short, fresh strings hash faster than one concatenated key.
    let byEnvironment = this.#seriesIndex.get(attempt.model);
    if (byEnvironment === undefined) {
      byEnvironment = new Map();
      this.#seriesIndex.set(attempt.model, byEnvironment);
    }
    let byLabels = byEnvironment.get(attempt.environment);
    if (byLabels === undefined) {
      byLabels = new Map();
      byEnvironment.set(attempt.environment, byLabels);
    }
    let key = "";
    const names = this.#labelNames;
    if (names === undefined) {
      for (const name in attempt.labels) key += `${name}\u0001${attempt.labels[name]}\u0000`;
    } else {
      for (const name of names) key += `${attempt.labels[name] ?? "\u0002"}\u0000`;
    }
    const attributes: Record<string, string> = {};
    for (const name of this.#attributeNames) {
      const value =
        run === undefined ? attemptAttribute(attempt, name) : runAttribute(attempt, run, name);
      key += `\u0003${value ?? "\u0002"}`;
      if (value !== null) attributes[name] = value;
    }
    let index = byLabels.get(key);
    if (index === undefined) {
      index = this.series.length;
      this.series.push({
        model: attempt.model,
        environment: attempt.environment,
        labels: attempt.labels,
        attributes,
      });
      byLabels.set(key, index);
    }
    return index;
  }

  /** Adds an attempt; returns false when it replaced an earlier record with the same id. */
  add(attempt: Attempt): boolean {
    const series = this.#seriesOf(attempt);
    const table = this.deployments;
    const index = this.#ids.getOrAdd(attempt.id);
    const added = this.#ids.lastAdded;
    if (added) {
      this.#seriesRows[series] = (this.#seriesRows[series] ?? 0) + 1;
    } else {
      const before = table.series[index] ?? 0;
      this.#seriesRows[before] = (this.#seriesRows[before] ?? 0) - 1;
      this.#seriesRows[series] = (this.#seriesRows[series] ?? 0) + 1;
    }
    table.set(
      index,
      subjectOfOutcome(attempt.outcome),
      attempt.startedAt,
      attempt.servingAt,
      attempt.endedAt,
      series,
    );
    for (const [name, stageTable] of this.stages) {
      const rows = this.#partRows(stageTable, index, added);
      for (const stage of attempt.stages) {
        if (stage.name !== name) continue;
        stageTable.set(
          stageTable.length,
          subjectOfStageStatus(stage.status),
          stage.startedAt,
          stage.status === "succeeded" ? stage.endedAt : null,
          stage.endedAt,
          this.#attributeNames.length === 0 ? series : this.#seriesOf(attempt, stage),
        );
      }
      rows.set(index, rows.first(index), stageTable.length - rows.first(index));
    }
    for (const [name, sampleTable] of this.dependencies) {
      const rows = this.#partRows(sampleTable, index, added);
      for (const sample of attempt.dependencies) {
        if (sample.name !== name) continue;
        // A sample is a subject that "served" when measured (`at`, else the attempt's start).
        const measuredAt = sample.at ?? attempt.startedAt;
        sampleTable.set(
          sampleTable.length,
          SUBJECT.succeeded,
          measuredAt - Math.round(sample.seconds * 1000),
          measuredAt,
          measuredAt,
          series,
        );
      }
      rows.set(index, rows.first(index), sampleTable.length - rows.first(index));
    }
    for (const { indicator, table: spanTable } of this.spans.values()) {
      const rows = this.#partRows(spanTable, index, added);
      const subject = spanSubject(indicator.from, indicator.to, attempt);
      if (subject !== null) {
        const { outcome, start, stop, end } = subject;
        spanTable.set(spanTable.length, outcome, start, stop, end, series);
      }
      rows.set(index, rows.first(index), spanTable.length - rows.first(index));
    }
    return added;
  }

  /**
   * Where attempt `index`'s rows of a stage or dependency table go: appended at the end, after
   * retiring the rows of the record it replaces, so each aggregate counts one record per id.
   */
  #partRows(table: SubjectTable, index: number, added: boolean): OwnerRows {
    let rows = this.#ownerRows.get(table);
    if (rows === undefined) {
      rows = new OwnerRows();
      this.#ownerRows.set(table, rows);
    }
    if (!added) table.retire(rows.first(index), rows.count(index));
    rows.set(index, table.length, 0);
    return rows;
  }

  /**
   * Whether every attempt of a series has the value its `labels` show for label `name`: true
   * when series are told apart by that label (a selector uses it, or no selector uses any).
   */
  distinguishes(name: string): boolean {
    return this.#labelNames === undefined || this.#labelNames.includes(name);
  }

  /** The series that hold at least one attempt (a replaced record may have left one empty). */
  liveSeries(): Series[] {
    return this.series.filter((_series, s) => (this.#seriesRows[s] ?? 0) > 0);
  }
}
