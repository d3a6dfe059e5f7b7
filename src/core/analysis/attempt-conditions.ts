import type { Attempt } from "../attempt/attempt.js";

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

function attributeOf(attempt: Attempt, name: string): string | null {
  const own = attempt.attributes[name];
  if (own !== undefined && own !== null) return String(own);
  for (const stage of attempt.stages) {
    const value = stage.attributes[name];
    if (value !== undefined && value !== null) return String(value);
  }
  return null;
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
  if (key.startsWith("attribute:")) return attributeOf(attempt, key.slice(10));
  return null;
}

/** The default splits plus one per label key any attempt carries, in name order. */
export function splitKeysOf(attempts: readonly Attempt[]): SplitKey[] {
  const labels = new Set<string>();
  for (const attempt of attempts) for (const key of Object.keys(attempt.labels)) labels.add(key);
  return [...DEFAULT_SPLITS, ...[...labels].sort().map((key) => `label:${key}`)];
}
