import { Command } from "commander";
import type { ThresholdRecommendationJson } from "../../contract/threshold-recommendation-schema.js";
import { isSplitKey } from "../../core/analysis/attempt-conditions.js";
import { parseTargetText } from "../../core/analysis/target-text.js";
import { parseDuration } from "../../core/primitives/duration.js";
import { DeploysloError } from "../../core/primitives/error-codes.js";
import { recommendThresholdFromHistory } from "../../services/recommend-threshold.js";
import type { CliContext } from "../cli-context.js";
import type { CliIo } from "../cli-io.js";
import { columns, percent, scopeLine, seconds } from "../insight-format.js";
import {
  askServer,
  type InsightOptions,
  resolveInsight,
  withInsightOptions,
} from "../insight-options.js";

interface RecommendOptions extends InsightOptions {
  target?: string;
  threshold?: string;
  split: string[];
  name?: string;
  window: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

function render(r: ThresholdRecommendationJson): string {
  const out: string[] = [scopeLine(r.selector, r.from, r.to, r.attempts), ""];
  const d = r.durations;
  out.push(
    `served: ${d.count}   p50 ${seconds(d.p50)}   p95 ${seconds(d.p95)}   p99 ${seconds(d.p99)}   max ${seconds(d.max)}`,
  );
  if (r.dependencyP99SumSeconds !== null) {
    const parts = r.dependencies.map((dep) => `${dep.name} ${seconds(dep.p99)}`).join(" + ");
    out.push(`dependencies' p99s: ${parts} = ${seconds(r.dependencyP99SumSeconds)}`);
  }
  out.push("");
  if (r.thresholdSeconds === null || r.fit === null || r.errorBudget === null) {
    out.push(`No threshold meets ${percent(r.target)}: too many attempts failed for that target.`);
  } else {
    out.push(
      `For ${percent(r.target)}: threshold ${seconds(r.thresholdSeconds)} (${r.thresholdSeconds} s). Over the history: ${r.fit.good} good of ${r.fit.eligible} = ${percent(r.historicalCompliance, 2)}; budget left ${r.errorBudget.remaining.toFixed(1)} of ${r.errorBudget.total.toFixed(1)} attempts (${percent(r.errorBudget.remainingRatio)}).`,
    );
  }
  if (r.reverse !== null)
    out.push(
      `With a threshold of ${seconds(r.reverse.thresholdSeconds)}: ${r.reverse.good} good of ${r.reverse.eligible}; the highest target this history supports is ${percent(r.reverse.highestTarget, 2)}.`,
    );
  for (const split of r.splits) {
    if (split.groups.length === 0) continue;
    out.push("", `By ${split.key}:`);
    const rows = [["  value", "attempts", "p50", "p95", "p99", "max", "threshold", "compliance"]];
    for (const g of split.groups)
      rows.push([
        `  ${g.value}`,
        String(g.attempts),
        seconds(g.durations.p50),
        seconds(g.durations.p95),
        seconds(g.durations.p99),
        seconds(g.durations.max),
        seconds(g.thresholdSeconds),
        percent(g.historicalCompliance, 2),
      ]);
    out.push(columns(rows).trimEnd());
  }
  if (r.snippet !== null) out.push("", "SLO spec:", "", r.snippet.trimEnd());
  return `${out.join("\n")}\n`;
}

export function recommendCommand(io: CliIo, ctx: CliContext): Command {
  return withInsightOptions(
    new Command("recommend").description(
      "Recommend an SLO threshold for a target from the deployment history, with the compliance it would have had",
    ),
  )
    .option(
      "--target <target>",
      "the target to meet, e.g. 99% or 0.99 (default: the SLO's, else 99%)",
    )
    .option(
      "--threshold <duration>",
      "also say the highest target this threshold supports, e.g. 10m (default: the SLO's)",
    )
    .option(
      "--split <key>",
      "environment, model, start, label:NAME or attribute:NAME; repeatable",
      collect,
      [],
    )
    .option("--name <name>", "the SLO name in the spec snippet")
    .option("--window <window>", "the window in the spec snippet", "30d")
    .action(async (options: RecommendOptions) => {
      const resolved = await resolveInsight("recommend", options, io);
      const slo = resolved.kind === "local" ? resolved.slo : undefined;
      let target = slo?.objective.target ?? { units: 99n, scale: 100n };
      if (options.target !== undefined) {
        const parsed = parseTargetText(options.target);
        if (!parsed.ok) throw new DeploysloError("USAGE", `--target: ${parsed.reason}`);
        target = parsed.target;
      }
      let thresholdMs = slo?.objective.thresholdMs;
      if (options.threshold !== undefined) {
        const parsed = parseDuration(options.threshold);
        if (!parsed.ok) throw new DeploysloError("USAGE", `--threshold: ${parsed.reason}`);
        thresholdMs = parsed.ms;
      }
      const bad = options.split.find((key) => !isSplitKey(key));
      if (bad !== undefined)
        throw new DeploysloError(
          "USAGE",
          `--split "${bad}": use environment, model, start, label:NAME or attribute:NAME`,
        );
      const result =
        resolved.kind === "remote"
          ? await askServer(resolved, "recommendation", {
              target: options.target,
              threshold: options.threshold,
              split: options.split,
              name: options.name,
              window: options.window,
            })
          : await recommendThresholdFromHistory({
              ctx,
              input: {
                source: resolved.source,
                scope: resolved.scope,
                target,
                thresholdMs,
                splits: options.split.length === 0 ? undefined : options.split,
                name: options.name ?? slo?.name ?? "recommended",
                window: options.window,
              },
            });
      io.stdout.write(
        options.format === "json" ? `${JSON.stringify(result, null, 2)}\n` : render(result),
      );
    });
}
