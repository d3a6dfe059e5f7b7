import type { CoordinationOverheadJson } from "../contract/coordination-overhead-schema.js";
import { coordinationOverhead } from "../core/analysis/coordination-overhead.js";
import { selectorTerms } from "../core/analysis/selector-terms.js";
import { DeploysloError } from "../core/primitives/error-codes.js";
import { formatTimestamp } from "../core/primitives/timestamp.js";
import { type InsightScope, type InsightSource, insightAttempts } from "./insight-attempts.js";
import type { UseCaseCall } from "./service-context.js";

export interface HandoffsInput {
  readonly source: InsightSource;
  readonly scope: InsightScope;
  /** The label whose values are the teams (default team). */
  readonly groupBy: string;
  readonly bucketMs: number;
  /** Most trend periods allowed; more is refused with `invalid`. */
  readonly maxBuckets: number;
  readonly invalid: "USAGE" | "INVALID_REQUEST";
}

/** `deployslo handoffs` and GET /api/v1/insight/handoffs: coordination overhead. */
export async function measureHandoffs({
  ctx,
  input,
}: UseCaseCall<"clock", HandoffsInput>): Promise<CoordinationOverheadJson> {
  const { attempts, complete } = await insightAttempts(input.source, input.scope);
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const attempt of attempts) {
    first = Math.min(first, attempt.startedAt);
    last = Math.max(last, attempt.startedAt);
  }
  const from = input.scope.from ?? (attempts.length === 0 ? ctx.clock.now() : first);
  const to = input.scope.to ?? (attempts.length === 0 ? from : last + 1);
  if ((to - from) / input.bucketMs > input.maxBuckets)
    throw new DeploysloError(
      input.invalid,
      `${Math.ceil((to - from) / input.bucketMs)} trend periods: choose a longer bucket (at most ${input.maxBuckets} periods)`,
    );
  const result = coordinationOverhead({
    attempts,
    groupBy: input.groupBy,
    from,
    to,
    bucketMs: input.bucketMs,
  });
  return {
    selector: selectorTerms(input.scope.selector),
    from: formatTimestamp(from),
    to: formatTimestamp(to),
    complete,
    groupBy: result.groupBy,
    total: result.total,
    groups: [...result.groups],
    waitStages: [...result.waitStages],
    bucketSeconds: result.bucketMs / 1000,
    trend: result.trend.map((point) => ({
      ...point,
      from: formatTimestamp(point.from),
      to: formatTimestamp(point.to),
    })),
  };
}
