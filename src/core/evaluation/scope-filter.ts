import { globToRegExp } from "../primitives/glob.js";
import type { Slo } from "../spec/slo.js";
import type { Series } from "./attempt-tables.js";

/** The dashboard's model / environment filter; null: any. */
export interface ScopeFilter {
  readonly model: string | null;
  readonly environment: string | null;
}

/**
 * Whether an SLO concerns the filtered scope: its selector's model and environment globs (absent:
 * any) accept the chosen model and environment.
 */
export function sloInScope(slo: Slo, filter: ScopeFilter): boolean {
  const { model, environment } = slo.selector;
  if (filter.model !== null && model !== null && !globToRegExp(model).test(filter.model))
    return false;
  if (
    filter.environment !== null &&
    environment !== null &&
    !globToRegExp(environment).test(filter.environment)
  )
    return false;
  return true;
}

/** The distinct models and environments seen in stored attempts, sorted. */
export function scopeValues(series: readonly Omit<Series, "attributes">[]): {
  readonly models: string[];
  readonly environments: string[];
} {
  const models = new Set<string>();
  const environments = new Set<string>();
  for (const s of series) {
    models.add(s.model);
    environments.add(s.environment);
  }
  return { models: [...models].sort(), environments: [...environments].sort() };
}
