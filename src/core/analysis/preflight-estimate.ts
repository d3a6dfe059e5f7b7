import type { Attempt } from "../attempt/attempt.js";
import { nearestRank } from "../primitives/percentile.js";

/** Which attempts a pre-flight estimate took as similar, from the closest kind down. */
export type Similarity = "model_and_labels" | "model" | "environment";

/** What a promotion is likely to take, from the history of similar attempts before it. */
export interface PreflightEstimate {
  readonly similarity: Similarity;
  /** In words: "iris in production with accelerator=gpu". */
  readonly basis: string;
  /** Finished attempts the estimate rests on (cancelled ones are not counted). */
  readonly attempts: number;
  /** Of them, how many served, and their durations' nearest-rank p50 and p90. */
  readonly served: number;
  readonly p50Seconds: number | null;
  readonly p90Seconds: number | null;
}

export interface EstimateRequest {
  readonly model: string;
  readonly environment: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** Fewer similar attempts than this and the estimate widens to a broader kind. */
export const MIN_SIMILAR = 10;
/** The most recent similar attempts an estimate uses: recent history predicts best. */
export const MAX_SIMILAR = 200;

/** Whether the attempt's outcome was known at `at`: its serving or its end had happened. */
function knownAt(attempt: Attempt, at: number): boolean {
  if (attempt.startedAt >= at || attempt.outcome === "in_progress") return false;
  if (attempt.outcome === "cancelled") return false;
  const decided = attempt.outcome === "succeeded" ? attempt.servingAt : attempt.endedAt;
  return decided !== null && decided <= at;
}

function hasLabels(attempt: Attempt, labels: Readonly<Record<string, string>>): boolean {
  return Object.entries(labels).every(([key, value]) => attempt.labels[key] === value);
}

function describe(request: EstimateRequest, similarity: Similarity): string {
  const labels = Object.entries(request.labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");
  if (similarity === "environment") return `any model in ${request.environment}`;
  if (similarity === "model") return `${request.model} in ${request.environment}`;
  return `${request.model} in ${request.environment} with ${labels}`;
}

/**
 * The attempts most like the promotion, most recent first: same model, environment and labels;
 * else same model and environment; else same environment, each tried while it holds fewer
 * than MIN_SIMILAR. `history` is the candidates, newest first; only outcomes known at `at` count.
 */
export function similarAttempts(
  history: readonly Attempt[],
  request: EstimateRequest,
  at: number,
): { readonly attempts: readonly Attempt[]; readonly similarity: Similarity } {
  const known = history.filter((a) => knownAt(a, at) && a.environment === request.environment);
  const sameModel = known.filter((a) => a.model === request.model);
  const tries: [Similarity, readonly Attempt[]][] = [];
  if (Object.keys(request.labels).length > 0)
    tries.push(["model_and_labels", sameModel.filter((a) => hasLabels(a, request.labels))]);
  tries.push(["model", sameModel], ["environment", known]);
  const chosen = tries.find(([, list]) => list.length >= MIN_SIMILAR) ?? tries[tries.length - 1];
  const [similarity, attempts] = chosen ?? ["environment", known];
  return { similarity, attempts: attempts.slice(0, MAX_SIMILAR) };
}

/** Durations of served attempts, and how they spread. */
export function preflightEstimate(
  history: readonly Attempt[],
  request: EstimateRequest,
  at: number,
): PreflightEstimate {
  const { attempts, similarity } = similarAttempts(history, request, at);
  const durations = attempts
    .filter((a) => a.outcome === "succeeded" && a.servingAt !== null)
    .map((a) => ((a.servingAt ?? 0) - a.startedAt) / 1000)
    .sort((x, y) => x - y);
  return {
    similarity,
    basis: describe(request, similarity),
    attempts: attempts.length,
    served: durations.length,
    p50Seconds: nearestRank(durations, durations.length, 50) ?? null,
    p90Seconds: nearestRank(durations, durations.length, 90) ?? null,
  };
}

/**
 * The chance that the promotion breaches `thresholdMs` (serves later, or never), from the
 * similar attempts: (breaches + ½) / (attempts + 1), the Jeffreys estimate, so that a short
 * history gives neither a certain breach nor a certain success. null with no history at all.
 */
export function breachProbability(
  history: readonly Attempt[],
  request: EstimateRequest,
  at: number,
  thresholdMs: number,
): number | null {
  const { attempts } = similarAttempts(history, request, at);
  if (attempts.length === 0) return null;
  const breaches = attempts.filter(
    (a) =>
      a.outcome !== "succeeded" || a.servingAt === null || a.servingAt - a.startedAt > thresholdMs,
  ).length;
  return (breaches + 0.5) / (attempts.length + 1);
}
