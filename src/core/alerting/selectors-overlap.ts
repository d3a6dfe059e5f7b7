import { globToRegExp } from "../primitives/glob.js";
import type { Selector } from "../spec/slo.js";

/** Whether every value `inner` can match, `outer` matches too (null: any value). */
function fieldContains(outer: string | null, inner: string | null): boolean {
  if (outer === null || outer === inner) return true;
  if (inner === null || /[*?]/.test(inner)) return false;
  return globToRegExp(outer).test(inner);
}

/** Whether every attempt `inner` selects, `outer` selects too. */
export function selectorContains(outer: Selector, inner: Selector): boolean {
  if (!fieldContains(outer.environment, inner.environment)) return false;
  if (!fieldContains(outer.model, inner.model)) return false;
  const innerAttributes = inner.attributes ?? {};
  return (
    Object.entries(outer.labels).every(([key, value]) => inner.labels[key] === value) &&
    Object.entries(outer.attributes ?? {}).every(([key, value]) => innerAttributes[key] === value)
  );
}

/**
 * Whether two SLOs count the same attempts, or one a part of the other's: the same
 * selector, or one selector contained in the other. Their pages then tell of one incident.
 */
export function selectorsOverlap(a: Selector, b: Selector): boolean {
  return selectorContains(a, b) || selectorContains(b, a);
}
