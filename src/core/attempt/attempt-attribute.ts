import type { Attempt, Attributes, Stage } from "./attempt.js";

/** What an attribute is read from: an attempt, or anything with attributes (and stages). */
export interface AttributeSource {
  readonly attributes?: Attributes;
  readonly stages?: readonly { readonly attributes: Attributes }[];
}

/**
 * An attempt's value for attribute `name`, as text: its own attribute, else that of the first
 * stage carrying one (pipelines record conditions like `coldStart` or `hardware` on the stage
 * that meets them); null when none does.
 */
export function attemptAttribute(source: AttributeSource, name: string): string | null {
  const own = source.attributes?.[name];
  if (own !== undefined && own !== null) return String(own);
  for (const stage of source.stages ?? []) {
    const value = stage.attributes[name];
    if (value !== undefined && value !== null) return String(value);
  }
  return null;
}

/** One run of a stage's value for attribute `name`: its own, else its attempt's (attemptAttribute). */
export function runAttribute(attempt: Attempt, run: Stage, name: string): string | null {
  const own = run.attributes[name];
  return own !== undefined && own !== null ? String(own) : attemptAttribute(attempt, name);
}

/**
 * What a selector reads of one run of a stage (a stage SLO matches runs one by one): the
 * attempt's model, environment and labels, with the run's attributes before the attempt's.
 */
export function runSubject<T extends Attempt>(attempt: T, run: Stage): T {
  return { ...attempt, attributes: { ...attempt.attributes, ...run.attributes } };
}
