import type { Indicator, SpanPoint } from "../spec/slo.js";

export type SpanIndicator = Extract<Indicator, { kind: "span" }>;

function pointKey(point: SpanPoint | null, fallback: string): string {
  return point === null ? fallback : `${point.stage}@${point.at}`;
}

/** One key per (from, to) pair, so SLOs measuring the same span share a table. */
export function spanKey(indicator: SpanIndicator): string {
  return `${pointKey(indicator.from, "(request)")}\u0000${pointKey(indicator.to, "(first inference)")}`;
}
