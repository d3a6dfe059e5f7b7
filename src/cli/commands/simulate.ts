import { Command } from "commander";
import type { SimulationJson } from "../../contract/simulation-schema.js";
import { parseDuration } from "../../core/primitives/duration.js";
import { DeploysloError } from "../../core/primitives/error-codes.js";
import { simulateWhatIf } from "../../services/simulate-what-if.js";
import type { CliContext } from "../cli-context.js";
import type { CliIo } from "../cli-io.js";
import { columns, percent, scopeLine, seconds } from "../insight-format.js";
import {
  askServer,
  type InsightOptions,
  type ResolvedInsight,
  resolveInsight,
  withInsightOptions,
} from "../insight-options.js";
import { integerOption } from "../integer-option.js";
import { parseInstant } from "../parse-instant.js";

interface SimulateOptions extends InsightOptions {
  change: string[];
  threshold?: string;
  resamples: string;
  seed?: string;
  holdoutFrom?: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

type Estimate = SimulationJson["predicted"]["p50"];

function range(e: Estimate, format: (v: number | null) => string): string {
  return `${format(e.value)} [${format(e.low)} – ${format(e.high)}]`;
}

function render(r: SimulationJson): string {
  const pct = (v: number | null) => percent(v, 1);
  const rows = [
    ["", "p50", "p95", "p99", `compliance (≤ ${seconds(r.thresholdSeconds)})`],
    [
      "history",
      seconds(r.before.durations.p50),
      seconds(r.before.durations.p95),
      seconds(r.before.durations.p99),
      pct(r.before.compliance),
    ],
    [
      "after the change",
      range(r.predicted.p50, seconds),
      range(r.predicted.p95, seconds),
      range(r.predicted.p99, seconds),
      range(r.predicted.compliance, pct),
    ],
  ];
  const out = [
    scopeLine(r.selector, r.from, r.to, r.attempts),
    `changes: ${r.changes.join("  ")}`,
    "",
    columns(rows).trimEnd(),
    "",
    `[low – high]: 90% interval of a period of ${r.attempts} attempts like these, from ${r.resamples} resamples (seed ${r.seed}).`,
  ];
  const b = r.backtest;
  if (b !== null) {
    const mark = (inside: boolean) => (inside ? "inside" : "OUTSIDE");
    out.push(
      "",
      `Check: the ${b.later.attempts} attempts from ${b.splitAt} predicted from the ${b.earlier.attempts} before:`,
      columns([
        ["", "predicted", "actual", ""],
        [
          "p50",
          range(b.predicted.p50, seconds),
          seconds(b.later.durations.p50),
          mark(b.inside.p50),
        ],
        [
          "p95",
          range(b.predicted.p95, seconds),
          seconds(b.later.durations.p95),
          mark(b.inside.p95),
        ],
        [
          "p99",
          range(b.predicted.p99, seconds),
          seconds(b.later.durations.p99),
          mark(b.inside.p99),
        ],
        [
          "compliance",
          range(b.predicted.compliance, pct),
          pct(b.later.compliance),
          mark(b.inside.compliance),
        ],
      ]).trimEnd(),
    );
  }
  return `${out.join("\n")}\n`;
}

async function simulateLocally(
  resolved: Extract<ResolvedInsight, { kind: "local" }>,
  options: SimulateOptions,
  run: { seed: number; resamples: number },
  io: CliIo,
): Promise<SimulationJson> {
  let thresholdMs = resolved.slo?.objective.thresholdMs;
  if (options.threshold !== undefined) {
    const parsed = parseDuration(options.threshold);
    if (!parsed.ok) throw new DeploysloError("USAGE", `--threshold: ${parsed.reason}`);
    thresholdMs = parsed.ms;
  }
  if (thresholdMs === undefined)
    throw new DeploysloError(
      "USAGE",
      "simulate needs --threshold DURATION or --slo NAME (for compliance)",
    );
  return simulateWhatIf({
    ctx: {},
    input: {
      source: resolved.source,
      scope: resolved.scope,
      changes: options.change,
      thresholdMs,
      resamples: run.resamples,
      seed: run.seed,
      holdoutFrom:
        options.holdoutFrom === undefined
          ? undefined
          : parseInstant(options.holdoutFrom, () => io.now(), "--holdout-from"),
      invalid: "USAGE",
    },
  });
}

export function simulateCommand(io: CliIo, ctx: CliContext): Command {
  return withInsightOptions(
    new Command("simulate").description(
      "Predict deployment durations and SLO compliance after a change to the stages, by resampling the history",
    ),
  )
    .option("--change <change>", "stage:NAME*FACTOR or parallel:A,B; repeatable", collect, [])
    .option("--threshold <duration>", "for compliance, e.g. 10m (default: the SLO's)")
    .option("--resamples <n>", "bootstrap rounds", "1000")
    .option("--seed <n>", "seeds the resampling (default: a random seed, printed)")
    .option(
      "--holdout-from <time>",
      "also predict the attempts from this instant on from those before",
    )
    .action(async (options: SimulateOptions) => {
      const resolved = await resolveInsight("simulate", options, io);
      const seed =
        options.seed === undefined
          ? Math.floor(ctx.random() * 2 ** 31)
          : integerOption("--seed", options.seed, 0, Number.MAX_SAFE_INTEGER);
      const resamples = integerOption("--resamples", options.resamples, 1, 100_000);
      const result =
        resolved.kind === "remote"
          ? await askServer(resolved, "simulation", {
              change: options.change,
              threshold: options.threshold,
              resamples: String(resamples),
              seed: String(seed),
              holdoutFrom: options.holdoutFrom,
            })
          : await simulateLocally(resolved, options, { seed, resamples }, io);
      io.stdout.write(
        options.format === "json" ? `${JSON.stringify(result, null, 2)}\n` : render(result),
      );
    });
}
