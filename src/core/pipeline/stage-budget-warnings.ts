import { criticalPath, type TimedSpan } from "../attempt/critical-path.js";
import { closestName } from "../primitives/closest-name.js";
import { formatDuration } from "../primitives/duration.js";
import type { Diagnostic } from "../spec/diagnostic.js";
import type { Slo, StageBudget } from "../spec/slo.js";
import type { Pipeline, PipelineStage } from "./pipeline.js";

const PATH = "spec.stageBudgets";

/**
 * The pipeline's stages from the start up to its first inference: a canary serves during its
 * run, so what needs a canary stage runs after the end point and is left out.
 */
function beforeServing(pipeline: Pipeline): PipelineStage[] {
  const after = new Set<string>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const stage of pipeline.stages) {
      if (after.has(stage.name)) continue;
      const needsAfter = stage.needs.some(
        (need) =>
          after.has(need) || pipeline.stages.find((s) => s.name === need)?.action.type === "canary",
      );
      if (needsAfter) {
        after.add(stage.name);
        grew = true;
      }
    }
  }
  return pipeline.stages.filter((stage) => !after.has(stage.name));
}

/**
 * Each stage as early as its `needs` allow, lasting its budget (0 without one): the run the
 * budgets allow for; its critical path is the chain of budgets that must fit in the threshold.
 */
function budgetedSchedule(stages: readonly PipelineStage[], budgetMs: Map<string, number>) {
  const byName = new Map(stages.map((stage) => [stage.name, stage]));
  const spans = new Map<string, TimedSpan>();
  const place = (stage: PipelineStage, depth: number): TimedSpan => {
    const known = spans.get(stage.name);
    if (known !== undefined) return known;
    let startedAt = 0;
    // parsePipelineSpec refuses cycles; the depth bound only keeps a bad input finite.
    if (depth <= stages.length)
      for (const need of stage.needs) {
        const before = byName.get(need);
        if (before !== undefined)
          startedAt = Math.max(startedAt, place(before, depth + 1).endedAt ?? 0);
      }
    const span = {
      startedAt,
      endedAt: startedAt + (budgetMs.get(stage.name) ?? 0),
      status: "succeeded",
    };
    spans.set(stage.name, span);
    return span;
  };
  return stages.map((stage) => place(stage, 0));
}

function listed(budgets: readonly StageBudget[]): string {
  return budgets.map((b) => `${b.stage} ${formatDuration(b.budgetMs)}`).join(" + ");
}

function warning(slo: Slo, path: string, message: string): Diagnostic {
  const at = slo.source.stageBudgetsAt ?? { line: slo.source.line, column: 1 };
  return {
    severity: "warning",
    file: slo.source.file,
    line: at.line,
    column: at.column,
    path,
    message,
  };
}

function againstPipeline(slo: Slo, budgets: readonly StageBudget[], pipeline: Pipeline) {
  const out: Diagnostic[] = [];
  const where = `pipeline "${pipeline.name}" (${pipeline.source.file}:${pipeline.source.line})`;
  const names = pipeline.stages.map((s) => s.name);
  for (const budget of budgets) {
    if (names.includes(budget.stage)) continue;
    const near = closestName(budget.stage, names);
    out.push(
      warning(
        slo,
        `${PATH}.${budget.stage}`,
        `${where} has no stage ${budget.stage}${near === undefined ? "" : ` (did you mean "${near}"?)`}: its budget is left out of the critical path`,
      ),
    );
  }
  const stages = beforeServing(pipeline);
  const budgetMs = new Map(budgets.map((b) => [b.stage, b.budgetMs]));
  const spans = budgetedSchedule(stages, budgetMs);
  const end = Math.max(0, ...spans.map((s) => s.endedAt ?? 0));
  const onPath = criticalPath(spans, end).flatMap((i) => {
    const name = stages[i]?.name;
    return budgets.filter((b) => b.stage === name);
  });
  const sum = onPath.reduce((total, b) => total + b.budgetMs, 0);
  if (sum > slo.objective.thresholdMs)
    out.push(
      warning(
        slo,
        PATH,
        `the budgets on the critical path of ${where} add up to ${formatDuration(sum)} (${listed(onPath)}), more than the threshold of ${formatDuration(slo.objective.thresholdMs)}`,
      ),
    );
  return out;
}

/**
 * `deployslo validate`'s warnings about stage budgets that cannot all be kept: along the
 * critical path of each given pipeline that runs a budgeted stage (stages as early as their
 * `needs` allow, each lasting its budget), or, with no such pipeline, along all the budgeted
 * stages one after another, the budgets add up to more than the threshold. Warnings only.
 */
export function stageBudgetWarnings(
  slos: readonly Slo[],
  pipelines: readonly Pipeline[],
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const slo of slos) {
    const budgets = slo.stageBudgets ?? [];
    if (budgets.length === 0) continue;
    const runs = pipelines.filter((p) =>
      p.stages.some((stage) => budgets.some((b) => b.stage === stage.name)),
    );
    for (const pipeline of runs) out.push(...againstPipeline(slo, budgets, pipeline));
    if (runs.length > 0) continue;
    const sum = budgets.reduce((total, b) => total + b.budgetMs, 0);
    if (sum > slo.objective.thresholdMs)
      out.push(
        warning(
          slo,
          PATH,
          `the budgets add up to ${formatDuration(sum)} (${listed(budgets)}), more than the threshold of ${formatDuration(slo.objective.thresholdMs)}, with the stages one after another; validate the pipeline file too to follow its parallel stages`,
        ),
      );
  }
  return out;
}
