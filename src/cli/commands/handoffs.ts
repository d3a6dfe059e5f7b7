import { Command } from "commander";
import type { CoordinationOverheadJson } from "../../contract/coordination-overhead-schema.js";
import { parseDuration } from "../../core/primitives/duration.js";
import { DeploysloError } from "../../core/primitives/error-codes.js";
import { measureHandoffs } from "../../services/measure-handoffs.js";
import type { CliContext } from "../cli-context.js";
import type { CliIo } from "../cli-io.js";
import { columns, percent, scopeLine, seconds } from "../insight-format.js";
import {
  askServer,
  type InsightOptions,
  resolveInsight,
  withInsightOptions,
} from "../insight-options.js";

interface HandoffsOptions extends InsightOptions {
  groupBy: string;
  bucket: string;
}

/** At most this many trend periods, so that a tiny --bucket over a long history stays readable. */
export const MAX_BUCKETS = 1000;

type Split = CoordinationOverheadJson["total"];

function cells(label: string, s: Split): string[] {
  return [
    label,
    String(s.attempts),
    seconds(s.meanWaitSeconds),
    seconds(s.p95WaitSeconds),
    seconds(s.waitSeconds),
    seconds(s.activeSeconds),
    percent(s.waitShare),
  ];
}

function render(r: CoordinationOverheadJson): string {
  const head = [
    "",
    "attempts",
    "mean wait",
    "p95 wait",
    "wait total",
    "active total",
    "wait share",
  ];
  const out = [
    scopeLine(r.selector, r.from, r.to, r.total.attempts),
    "",
    `Time before the first inference on the critical path: ${seconds(r.total.waitSeconds)} waiting (approvals, queues, hand-offs) against ${seconds(r.total.activeSeconds)} of active work: ${percent(r.total.waitShare)} of deployment time.`,
    "",
    `By ${r.groupBy}:`,
    columns([head, ...r.groups.map((g) => cells(g.value, g)), cells("all", r.total)]).trimEnd(),
  ];
  if (r.waitStages.length > 0) {
    out.push("", "Wait stages:");
    const rows = [["", "runs", "p50", "p95", "p99", "on critical path", "share"]];
    for (const s of r.waitStages)
      rows.push([
        s.stage,
        String(s.runs),
        seconds(s.durations.p50),
        seconds(s.durations.p95),
        seconds(s.durations.p99),
        seconds(s.criticalSeconds),
        percent(s.criticalShare),
      ]);
    out.push(columns(rows).trimEnd());
  }
  out.push("", `Trend (${seconds(r.bucketSeconds)} periods):`);
  out.push(columns([head, ...r.trend.map((p) => cells(p.from.slice(0, 10), p))]).trimEnd());
  return `${out.join("\n")}\n`;
}

export function handoffsCommand(io: CliIo, ctx: CliContext): Command {
  return withInsightOptions(
    new Command("handoffs").description(
      "Coordination overhead: time in wait stages against active work, per team, per wait stage and over time",
    ),
  )
    .option("--group-by <label>", "the label that names the team", "team")
    .option("--bucket <duration>", "length of a trend period", "7d")
    .action(async (options: HandoffsOptions) => {
      const resolved = await resolveInsight("handoffs", options, io);
      const bucket = parseDuration(options.bucket);
      if (!bucket.ok || bucket.ms <= 0)
        throw new DeploysloError(
          "USAGE",
          `--bucket: ${bucket.ok ? "must be above 0" : bucket.reason}`,
        );
      const result =
        resolved.kind === "remote"
          ? await askServer(resolved, "handoffs", {
              groupBy: options.groupBy,
              bucket: options.bucket,
            })
          : await measureHandoffs({
              ctx,
              input: {
                source: resolved.source,
                scope: resolved.scope,
                groupBy: options.groupBy,
                bucketMs: bucket.ms,
                maxBuckets: MAX_BUCKETS,
                invalid: "USAGE",
              },
            });
      io.stdout.write(
        options.format === "json" ? `${JSON.stringify(result, null, 2)}\n` : render(result),
      );
    });
}
