import { Command } from "commander";
import type { EnvironmentDriftJson } from "../../contract/environment-drift-schema.js";
import { FINGERPRINT_KEYS } from "../../core/analysis/environment-fingerprint.js";
import { DeploysloError } from "../../core/primitives/error-codes.js";
import { plural } from "../../core/primitives/plural.js";
import { measureDrift } from "../../services/measure-drift.js";
import type { CliContext } from "../cli-context.js";
import type { CliIo } from "../cli-io.js";
import { percent, scopeLine, seconds } from "../insight-format.js";
import {
  askServer,
  type InsightOptions,
  resolveInsight,
  withInsightOptions,
} from "../insight-options.js";
import { integerOption } from "../integer-option.js";

interface DriftOptions extends InsightOptions {
  compare: string;
  alpha: string;
}

/** Mismatched promotions printed in the table (the JSON lists more). */
const SHOWN_MISMATCHES = 5;
type Figures = EnvironmentDriftJson["changes"][number]["before"];

/** Long values (image digests) cut to a readable prefix. */
function short(value: string | null): string {
  if (value === null) return "(none)";
  return value.length > 19 ? `${value.slice(0, 19)}…` : value;
}

function fingerprintLine(fingerprint: Readonly<Record<string, string>>): string {
  const parts = FINGERPRINT_KEYS.flatMap((key) => {
    const value = fingerprint[key];
    return value === undefined ? [] : [`${key}=${short(value)}`];
  });
  return parts.length === 0 ? "(no fingerprint recorded)" : parts.join(", ");
}

function figures(f: Figures): string {
  const rate =
    f.failureRate === null ? "—" : `${percent(f.failureRate)} (${f.failures} of ${f.finished})`;
  return `${plural(f.attempts, "attempt")}, failure rate ${rate}, p50 ${seconds(f.durations.p50)}, p95 ${seconds(f.durations.p95)}`;
}

function pValue(p: number): string {
  return p < 0.0001 ? "p < 0.0001" : `p = ${Number(p.toPrecision(2))}`;
}

function changeLines(c: EnvironmentDriftJson["changes"][number]): string[] {
  const shifted = [
    ...(c.failureRate.significant ? ["failure rate"] : []),
    ...(c.p95.significant ? ["p95"] : []),
  ];
  const verdict =
    shifted.length === 0 ? "no significant shift" : `SHIFT in ${shifted.join(" and ")}`;
  const rate = (f: Figures) => (f.failureRate === null ? "—" : percent(f.failureRate));
  return [
    `  ${c.at}  ${c.model} in ${c.environment} (from ${c.attemptId}): ${verdict}`,
    `    ${c.changed.map((k) => `${k.key} ${short(k.from)} → ${short(k.to)}`).join(", ")}`,
    `    failure rate ${rate(c.before)} → ${rate(c.after)} (${pValue(c.failureRate.pValue)}), p95 ${seconds(c.before.durations.p95)} → ${seconds(c.after.durations.p95)} (${pValue(c.p95.pValue)}); ${plural(c.before.attempts, "attempt")} before, ${c.after.attempts} after`,
  ];
}

function mismatchLines(m: EnvironmentDriftJson["mismatches"]): string[] {
  if (m.checked === 0)
    return ["No attempt records a validated or trained fingerprint to compare with."];
  const rate = (f: Figures) => (f.failureRate === null ? "—" : percent(f.failureRate));
  const out = [
    `Served on another environment than validated or trained: ${m.mismatched.attempts} of ${plural(m.checked, "attempt")} compared (failure rate ${rate(m.mismatched)}, against ${rate(m.matching)} for the others).`,
  ];
  for (const d of m.differences)
    out.push(
      `  ${d.key}: served ${short(d.serving)}, ${d.against} ${short(d.reference)}: ${plural(d.attempts, "attempt")}`,
    );
  const shown = m.attempts.slice(0, SHOWN_MISMATCHES);
  if (shown.length > 0) out.push("Latest:");
  for (const a of shown)
    out.push(
      `  ${a.id}  ${a.model} ${a.version} in ${a.environment}, ${a.startedAt}, ${a.outcome}: ${a.differences.map((d) => `${d.key} ${short(d.serving)} (${d.against} ${short(d.reference)})`).join(", ")}`,
    );
  return out;
}

function render(r: EnvironmentDriftJson): string {
  const out = [scopeLine(r.selector, r.from, r.to, r.attempts), "", "By serving fingerprint:"];
  for (const g of r.fingerprints) {
    out.push(`  ${fingerprintLine(g.fingerprint)}`);
    out.push(`    ${g.models.join(", ")} in ${g.environments.join(", ")}: ${figures(g)}`);
  }
  out.push("");
  const coinciding = r.changes.filter((c) => c.coincides).length;
  out.push(
    r.changes.length === 0
      ? "No fingerprint change within a model and environment."
      : `Fingerprint changes: ${r.changes.length}, ${coinciding} with a significant shift (up to ${r.compare} attempts each side; two-sided Fisher exact tests, significant below p = ${Number(r.testThreshold.toPrecision(3))}: ${percent(r.alpha, 0)} over ${2 * r.changes.length} tests).`,
  );
  for (const c of r.changes) out.push(...changeLines(c));
  out.push("", ...mismatchLines(r.mismatches));
  return `${out.join("\n")}\n`;
}

function alphaOf(text: string): number {
  const alpha = Number(text);
  if (!(Number.isFinite(alpha) && alpha > 0 && alpha < 1))
    throw new DeploysloError("USAGE", `--alpha: "${text}" is not a number between 0 and 1`);
  return alpha;
}

export function driftCommand(io: CliIo, ctx: CliContext): Command {
  return withInsightOptions(
    new Command("drift").description(
      "Environment drift: outcomes per serving fingerprint, promotions served on another environment than validated or trained, and fingerprint changes that coincide with a shift in failure rate or p95",
    ),
  )
    .option("--compare <attempts>", "attempts compared on each side of a fingerprint change", "100")
    .option("--alpha <level>", "family-wise significance level of the change tests", "0.05")
    .action(async (options: DriftOptions) => {
      const resolved = await resolveInsight("drift", options, io);
      const compare = integerOption("--compare", options.compare, 1, 10_000);
      const alpha = alphaOf(options.alpha);
      const result =
        resolved.kind === "remote"
          ? await askServer(resolved, "drift", { compare: String(compare), alpha: String(alpha) })
          : await measureDrift({
              ctx,
              input: { source: resolved.source, scope: resolved.scope, compare, alpha },
            });
      io.stdout.write(
        options.format === "json" ? `${JSON.stringify(result, null, 2)}\n` : render(result),
      );
    });
}
