import { Command } from "commander";
import type { StageBudgetsJson } from "../../contract/stage-budgets-schema.js";
import { DeploysloError } from "../../core/primitives/error-codes.js";
import { checkStageBudgets } from "../../services/check-stage-budgets.js";
import type { CliContext } from "../cli-context.js";
import type { CliIo } from "../cli-io.js";
import { columns, percent, scopeLine, seconds } from "../insight-format.js";
import {
  askServer,
  type InsightOptions,
  resolveInsight,
  withInsightOptions,
} from "../insight-options.js";

function pathLine(r: StageBudgetsJson): string {
  const path = r.criticalPath;
  if (path === null) return "No attempt had a budgeted stage on its critical path.";
  const verdict = path.exceedsThreshold ? "more than" : "within";
  return `Critical path as recorded (${path.attempts} attempts): ${path.stages.join(" + ")}, ${seconds(path.budgetSeconds)} of budget, ${verdict} the ${seconds(r.thresholdSeconds)} threshold.`;
}

function render(r: StageBudgetsJson): string {
  const rows = [
    ["stage", "budget", "ran", "overran", "rate", "p50", "p95", "p95/budget", "over", "in bad"],
  ];
  for (const s of r.stages)
    rows.push([
      s.stage,
      seconds(s.budgetSeconds),
      String(s.attempts),
      String(s.overran),
      percent(s.overrunRate),
      seconds(s.p50),
      seconds(s.p95),
      percent(s.p95OfBudget, 0),
      seconds(s.overrunSeconds),
      `${s.breachingWithOverrun} (${percent(s.breachingShare, 0)})`,
    ]);
  return [
    `${r.slo}: ${scopeLine(r.selector, r.from, r.to, r.eligible)} judged, ${r.breaching} bad`,
    "",
    `The budgets add up to ${seconds(r.budgetSumSeconds)} against a ${seconds(r.thresholdSeconds)} threshold. ${pathLine(r)}`,
    "",
    columns(rows).trimEnd(),
    "rate: of the attempts that ran the stage, those that took longer than its budget; over: time beyond the budget, added up; in bad: bad attempts in which the stage overran (and their share of all bad attempts).",
    "",
  ].join("\n");
}

export function budgetsCommand(io: CliIo, ctx: CliContext): Command {
  return withInsightOptions(
    new Command("budgets").description(
      "Stage budgets of an SLO (spec.stageBudgets) against the history: how often each stage overran its share of the threshold",
    ),
  ).action(async (options: InsightOptions) => {
    if (options.slo === undefined)
      throw new DeploysloError(
        "USAGE",
        "budgets needs --slo NAME: the SLO whose spec.stageBudgets to check",
      );
    const resolved = await resolveInsight("budgets", options, io);
    let result: StageBudgetsJson;
    if (resolved.kind === "remote") result = await askServer(resolved, "budgets", {});
    else {
      if (resolved.slo === undefined) throw new DeploysloError("USAGE", "budgets needs --slo");
      result = await checkStageBudgets({
        ctx,
        input: { source: resolved.source, scope: resolved.scope, slo: resolved.slo },
      });
    }
    if (result.stages.length === 0)
      throw new DeploysloError(
        "USAGE",
        `SLO "${result.slo}" has no spec.stageBudgets (see docs/configuration.md)`,
      );
    io.stdout.write(
      options.format === "json" ? `${JSON.stringify(result, null, 2)}\n` : render(result),
    );
  });
}
