import { Command } from "commander";
import type { TailAttributionJson } from "../../contract/tail-attribution-schema.js";
import { attributeTail } from "../../services/attribute-tail.js";
import type { CliContext } from "../cli-context.js";
import type { CliIo } from "../cli-io.js";
import { columns, percent, scopeLine, seconds } from "../insight-format.js";
import {
  askServer,
  type InsightOptions,
  resolveInsight,
  withInsightOptions,
} from "../insight-options.js";

function headline(r: TailAttributionJson): string {
  if (r.deploymentExtraSeconds === null)
    return "Too few attempts served to compare slow with typical ones.";
  const lead = `p99 ${seconds(r.durations.p99)} against a ${seconds(r.durations.p50)} median. The slowest ${r.slowAttempts} (≥ ${seconds(r.slowFrom)}, the p95) took ${seconds(r.deploymentExtraSeconds)} longer on average than the typical ${r.typicalAttempts} (≤ ${seconds(r.typicalUpTo)}).`;
  return r.blamed === null
    ? lead
    : `${lead} ${percent(r.blamed.share, 0)} of the extra time is ${r.blamed.stage}.`;
}

function render(r: TailAttributionJson): string {
  const rows = [["stage", "kind", "runs", "p50", "p95", "p99", "extra", "share", "on path"]];
  for (const s of r.stages) {
    const after = s.runs > 0 && s.runsAfterEndPoint === s.runs;
    rows.push([
      s.stage,
      s.kind,
      String(s.runs),
      seconds(s.p50),
      seconds(s.p95),
      seconds(s.p99),
      after ? "after first inference" : seconds(s.extraSeconds),
      after ? "—" : percent(s.share),
      percent(s.criticalPathShare, 0),
    ]);
  }
  rows.push([
    "(between stages)",
    "",
    "",
    "",
    "",
    "",
    seconds(r.betweenStages.extraSeconds),
    percent(r.betweenStages.share),
    "",
  ]);
  return `${scopeLine(r.selector, r.from, r.to, r.attempts)}\n\n${headline(r)}\n\n${columns(rows)}\nextra: mean time on the critical path before the first inference, slow minus typical attempts; share: of the slow attempts' extra time; on path: how often the stage was on the critical path of an attempt that served.\n`;
}

export function tailCommand(io: CliIo, ctx: CliContext): Command {
  return withInsightOptions(
    new Command("tail").description(
      "Attribute the slowest deployments' extra time to stages, along the critical path before the first inference",
    ),
  ).action(async (options: InsightOptions) => {
    const resolved = await resolveInsight("tail", options, io);
    const result =
      resolved.kind === "remote"
        ? await askServer(resolved, "tail", {})
        : await attributeTail({ ctx, input: { source: resolved.source, scope: resolved.scope } });
    io.stdout.write(
      options.format === "json" ? `${JSON.stringify(result, null, 2)}\n` : render(result),
    );
  });
}
