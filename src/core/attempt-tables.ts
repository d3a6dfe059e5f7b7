import type { Attempt } from "./attempt.js";
import type { Indicator } from "./slo.js";
import { subjectOfOutcome, subjectOfStageStatus } from "./subject-outcome.js";
import { SubjectTable } from "./subject-table.js";

/** One distinct (model, environment, labels) combination; selectors are matched per series. */
export interface Series {
  readonly model: string;
  readonly environment: string;
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * The attempts an evaluation runs over, kept as one SubjectTable for deployments and one per
 * stage named by a stage indicator. Attempts are keyed by id: adding an id again replaces
 * the earlier record (as an upsert would), including its stage runs.
 */
export class AttemptTables {
  readonly deployments = new SubjectTable();
  readonly stages = new Map<string, SubjectTable>();
  readonly series: Series[] = [];
  readonly #seriesIndex = new Map<string, number>();
  readonly #ids = new Map<string, number>();

  /** @param stageNames the stages that some SLO's indicator measures. */
  constructor(stageNames: Iterable<string> = []) {
    for (const name of stageNames) this.stages.set(name, new SubjectTable());
  }

  static forIndicators(indicators: Iterable<Indicator>): AttemptTables {
    const names: string[] = [];
    for (const indicator of indicators) if (indicator.kind === "stage") names.push(indicator.stage);
    return new AttemptTables(names);
  }

  get size(): number {
    return this.deployments.length;
  }

  tableFor(indicator: Indicator): SubjectTable | undefined {
    return indicator.kind === "deployment" ? this.deployments : this.stages.get(indicator.stage);
  }

  #seriesOf(attempt: Attempt): number {
    let key = `${attempt.model}\u0000${attempt.environment}`;
    for (const name in attempt.labels) key += `\u0000${name}\u0001${attempt.labels[name]}`;
    let index = this.#seriesIndex.get(key);
    if (index === undefined) {
      index = this.series.length;
      this.series.push({
        model: attempt.model,
        environment: attempt.environment,
        labels: attempt.labels,
      });
      this.#seriesIndex.set(key, index);
    }
    return index;
  }

  /** Adds an attempt; returns false when it replaced an earlier record with the same id. */
  add(attempt: Attempt): boolean {
    const series = this.#seriesOf(attempt);
    const table = this.deployments;
    const existing = this.#ids.get(attempt.id);
    const index = existing ?? table.length;
    // A replaced attempt's stage runs stay in their tables but no longer match its generation.
    const generation = existing === undefined ? 0 : (table.generation[index] ?? 0) + 1;
    if (existing === undefined) this.#ids.set(attempt.id, index);
    table.set(
      index,
      subjectOfOutcome(attempt.outcome),
      attempt.startedAt,
      attempt.servingAt,
      attempt.endedAt,
      series,
      index,
      generation,
    );
    if (this.stages.size > 0) {
      for (const stage of attempt.stages) {
        const stageTable = this.stages.get(stage.name);
        if (stageTable === undefined) continue;
        const outcome = subjectOfStageStatus(stage.status);
        stageTable.set(
          stageTable.length,
          outcome,
          stage.startedAt,
          stage.status === "succeeded" ? stage.endedAt : null,
          stage.endedAt,
          series,
          index,
          generation,
        );
      }
    }
    return existing === undefined;
  }
}
