import type { Attempt } from "../attempt/attempt.js";
import { attemptAttribute } from "../attempt/attempt-attribute.js";

/**
 * What an attempt can be split by: `environment`, `model`, `start` (cold when any stage says
 * `coldStart: true`, warm when one says false and none true), `label:NAME`, or
 * `attribute:NAME` (the attempt's attribute, else the first stage attribute of that name).
 */
export type SplitKey = string;

export const DEFAULT_SPLITS: readonly SplitKey[] = ["environment", "model", "start"];

const SPLIT = /^(environment|model|start|label:.+|attribute:.+)$/;

export function isSplitKey(text: string): boolean {
  return SPLIT.test(text);
}

function startCondition(attempt: Attempt): string | null {
  let seen: string | null = null;
  for (const stage of attempt.stages) {
    const cold = stage.attributes.coldStart;
    if (cold === true) return "cold";
    if (cold === false) seen = "warm";
  }
  return seen;
}

/** The value of `key` for an attempt; null when the attempt does not say. */
export function conditionOf(attempt: Attempt, key: SplitKey): string | null {
  if (key === "environment") return attempt.environment;
  if (key === "model") return attempt.model;
  if (key === "start") return startCondition(attempt);
  if (key.startsWith("label:")) return attempt.labels[key.slice(6)] ?? null;
  if (key.startsWith("attribute:")) return attemptAttribute(attempt, key.slice(10));
  return null;
}

/** The default splits plus one per label key any attempt carries, in name order. */
export function splitKeysOf(attempts: readonly Attempt[]): SplitKey[] {
  const labels = new Set<string>();
  for (const attempt of attempts) for (const key of Object.keys(attempt.labels)) labels.add(key);
  return [...DEFAULT_SPLITS, ...[...labels].sort().map((key) => `label:${key}`)];
}
