import { globToRegExp } from "../primitives/glob.js";
import type { Selector } from "../spec/slo.js";
import type { Series } from "./attempt-tables.js";

/** Compiles a selector into a predicate over a series (model, environment, labels). */
export function selectorMatcher(selector: Selector): (series: Series) => boolean {
  const model = selector.model === null ? null : globToRegExp(selector.model);
  const environment = selector.environment === null ? null : globToRegExp(selector.environment);
  const labels = Object.entries(selector.labels);
  return function matches(series: Series): boolean {
    if (model !== null && !model.test(series.model)) return false;
    if (environment !== null && !environment.test(series.environment)) return false;
    for (const [key, value] of labels) {
      if (series.labels[key] !== value) return false;
    }
    return true;
  };
}
