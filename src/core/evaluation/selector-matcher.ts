import { type AttributeSource, attemptAttribute } from "../attempt/attempt-attribute.js";
import { globToRegExp } from "../primitives/glob.js";
import type { Selector } from "../spec/slo.js";

/** What a selector reads: a series of the tables, an attempt, or a promotion's fields. */
export interface SelectorSubject extends AttributeSource {
  readonly model: string;
  readonly environment: string;
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * Compiles a selector into a predicate over a series (model, environment, labels, and the
 * attributes selectors use) or an attempt (its attributes, else its stages'). A subject that
 * carries no attributes matches no attribute selector.
 */
export function selectorMatcher(selector: Selector): (subject: SelectorSubject) => boolean {
  const model = selector.model === null ? null : globToRegExp(selector.model);
  const environment = selector.environment === null ? null : globToRegExp(selector.environment);
  const labels = Object.entries(selector.labels);
  const attributes = Object.entries(selector.attributes ?? {});
  return function matches(subject: SelectorSubject): boolean {
    if (model !== null && !model.test(subject.model)) return false;
    if (environment !== null && !environment.test(subject.environment)) return false;
    for (const [key, value] of labels) {
      if (subject.labels[key] !== value) return false;
    }
    for (const [key, value] of attributes) {
      if (attemptAttribute(subject, key) !== value) return false;
    }
    return true;
  };
}
